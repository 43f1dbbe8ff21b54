"""Scan file formats, one module each: read into arrays, write deterministically.

``detect`` tells the format from the content; ``stl``, ``ply`` and ``obj`` read and write;
``polygons`` and ``text`` hold what the readers share (fan triangulation, bulk number parsing).
:mod:`scan2insole.load` is the pipeline stage built on them.
"""
