"""How close a measured-back value must come to what the profile asked (issue 6's acceptance
figures), and how little a surface may move and still count as unmoved."""

# A surface that moved less than this between two exports did not move (float32 STL rounding is
# ~1e-5 mm at insole coordinates).
UNMOVED_MM = 0.01

ANGLE_TOL_DEG = 0.5
HEIGHT_TOL_MM = 0.5  # skive, cup, flange, pads, lift, thicknesses
LENGTH_TOL_MM = 2.0  # ISO 20685's foot-measurement allowance, CLINICAL §1.4
POSITION_TOL_MM = 0.5  # centroids of symmetric or fully modelled shapes
# E: the arch apex is prescribed as a fraction of foot length (0.01 L ~ 2.7 mm), and a cast fill
# that a low arch cannot take in full (it stops at the contact level) shifts its centre
ARCH_APEX_TOL_MM = 2.0
PAD_APEX_TOL_MM = 2.0  # the apex is a mesh vertex of a 2.5 mm lattice (solid.INTERIOR_SPACING_MM)
DIAMETER_TOL_MM = 1.0  # E: an area on a 0.5 mm grid, plus the recess wall on a 2.5 mm lattice
