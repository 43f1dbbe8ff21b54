"""Render docs/img/synthetic_foot.png: `python docs/render_synthetic_foot.py [OUT.png]`."""

import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.gridspec import GridSpec

from scan2insole.synthetic import FootParams, foot_mesh, foot_truth, outline_mm, plantar_height_mm

OUT = sys.argv[1] if len(sys.argv) > 1 else "docs/img/synthetic_foot.png"
SKIN = np.array([0.93, 0.76, 0.64])


def view(ax, v, f, azim_deg, elev_deg, title):
    """Orthographic shaded view (painter's algorithm) from direction (azimuth, elevation)."""
    a, e = np.radians(azim_deg), np.radians(elev_deg)
    eye = np.array([np.cos(e) * np.cos(a), np.cos(e) * np.sin(a), np.sin(e)])
    right = np.cross([0.0, 0.0, 1.0], eye) if abs(eye[2]) < 0.99 else np.array([1.0, 0.0, 0.0])
    right /= np.linalg.norm(right)
    up = np.cross(eye, right)
    tri = v[f]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    n /= np.linalg.norm(n, axis=1, keepdims=True) + 1e-12
    facing = n @ eye > 0.0
    light = eye + 0.6 * up + 0.3 * right
    light /= np.linalg.norm(light)
    shade = 0.25 + 0.75 * np.clip(n @ light, 0.0, 1.0)
    depth = (tri @ eye).max(axis=1)
    keep = np.flatnonzero(facing)
    keep = keep[np.argsort(depth[keep], kind="stable")]
    uv = np.stack([tri[keep] @ right, tri[keep] @ up], axis=-1)
    colours = np.c_[shade[keep, None] * SKIN, np.ones(len(keep))]
    ax.add_collection(PolyCollection(uv, facecolors=colours, edgecolors=colours, linewidths=0.3))
    ax.autoscale()
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=11)
    ax.set_axis_off()


fig = plt.figure(figsize=(15, 12.5))
gs = GridSpec(3, 3, figure=fig, height_ratios=[1.0, 1.0, 1.0], hspace=0.18, wspace=0.08)
v, f = foot_mesh(FootParams(), resolution_mm=2.0)
view(fig.add_subplot(gs[0, :2]), v, f, 90, 4, "normal arch, right foot: medial view")
view(fig.add_subplot(gs[0, 2]), v, f, -140, 22, "from behind, lateral side")
view(fig.add_subplot(gs[1, :2]), v, f, -90, 4, "lateral view: lateral border on the ground")
view(fig.add_subplot(gs[1, 2]), v, f, -90, 90, "top view (toes right, medial up)")
for k, arch in enumerate(["flat", "normal", "high"]):
    params = FootParams(arch_type=arch)
    t = foot_truth(params)
    ax = fig.add_subplot(gs[2, k])
    xs, ys = np.meshgrid(np.arange(0, 266, 0.5), np.arange(-52, 52, 0.5))
    z = plantar_height_mm(params, xs, ys)
    im = ax.pcolormesh(xs, ys, z, cmap="viridis", vmin=0, vmax=30, shading="auto")
    ax.contour(xs, ys, np.nan_to_num(z, nan=99.0), [2.0], colors="w", linewidths=0.8)
    ax.plot(*t.sulcus_line_mm.T, "w--", lw=0.8)
    o = outline_mm(params)
    ax.plot(*np.vstack([o, o[:1]]).T, "k", lw=0.6)
    lm = np.array(list(t.landmarks.values()))
    ax.plot(lm[:, 0], lm[:, 1], "r.", ms=5)
    ax.set_aspect("equal")
    ax.set_xlim(-3, 268)
    ax.set_ylim(-55, 55)
    ax.set_title(
        f"{arch} arch: plantar view, 2 mm contact in white\n"
        f"AI {t.arch_index:.3f}, medial arch {t.medial_arch_height_mm:.1f} mm",
        fontsize=9,
    )
    ax.tick_params(labelsize=8)
fig.colorbar(im, ax=fig.axes[-3:], shrink=0.9, pad=0.01, label="plantar height, mm")
fig.savefig(OUT, dpi=72, bbox_inches="tight")
