"""One thread for numpy's BLAS in the command line tool; imported before numpy is.

The pipeline's matrix products are (n, 3) by (3, k): OpenBLAS's worker threads mostly wait and
spin on them (a 1 M-point ``make`` spent 0.2-0.4 s more CPU with them, for no less wall time),
and the second core is better left to the report's forked child (``report/parallel.py``) or to
a second batch worker. A value the user set is kept. Library users choose for themselves: only
the CLI imports this.
"""

from __future__ import annotations

import os

from scan2insole.cores import THREAD_VARIABLES

for _var in THREAD_VARIABLES:
    os.environ.setdefault(_var, "1")
