from scan2insole.cli import main

main()
