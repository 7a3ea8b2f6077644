"""Photographic degradations: roll, perspective tilt, blur, noise, glare, vignetting, JPEG."""

from __future__ import annotations

import cv2
import numpy as np


def _background(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    base = rng.integers(40, 120, 3).astype(np.float32)
    noise = cv2.resize(rng.normal(0, 18, (h // 16 + 1, w // 16 + 1, 3)).astype(np.float32), (w, h))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def degrade(
    card: np.ndarray, rng: np.random.Generator, tier: str, out_size: tuple[int, int] = (640, 480)
) -> tuple[np.ndarray, np.ndarray]:
    """Place ``card`` in a photo; returns (photo, 3×3 homography card→photo)."""
    strong = tier == "degraded"
    W, H = out_size
    ch, cw = card.shape[:2]
    scale = rng.uniform(0.55, 0.8) * min(W / cw, H / ch)
    roll = np.deg2rad(rng.uniform(-25, 25) if strong else rng.uniform(-8, 8))
    tilt = np.deg2rad(rng.uniform(10, 30) if strong else rng.uniform(0, 10))
    tilt_dir = rng.uniform(0, 2 * np.pi)
    # perspective: tilt the card plane about an in-plane axis, then project with a pinhole camera
    f = 900.0
    ax = np.array([np.cos(tilt_dir), np.sin(tilt_dir), 0.0])
    rvec = ax * tilt
    R, _ = cv2.Rodrigues(rvec)
    Rz = np.array([[np.cos(roll), -np.sin(roll), 0], [np.sin(roll), np.cos(roll), 0], [0, 0, 1]])
    R = Rz @ R
    corners = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float64)
    pts3 = np.c_[(corners - [cw / 2, ch / 2]) * scale, np.zeros(4)]
    cam = pts3 @ R.T + [0, 0, f]
    proj = cam[:, :2] / cam[:, 2:3] * f + [W / 2 + rng.uniform(-0.05, 0.05) * W, H / 2 + rng.uniform(-0.05, 0.05) * H]
    Hm = cv2.getPerspectiveTransform(corners.astype(np.float32), proj.astype(np.float32))
    bg = _background(rng, H, W)
    mask = cv2.warpPerspective(np.full((ch, cw), 255, np.uint8), Hm, (W, H))
    warped = cv2.warpPerspective(card, Hm, (W, H), flags=cv2.INTER_AREA)
    img = np.where(mask[..., None] > 127, warped, bg).astype(np.float32)
    # glare: a soft bright blob
    if strong or rng.random() < 0.3:
        gx, gy = rng.uniform(0.2, 0.8) * W, rng.uniform(0.2, 0.8) * H
        yy, xx = np.mgrid[0:H, 0:W]
        sig = rng.uniform(20, 60)
        amp = rng.uniform(60, 140) if strong else rng.uniform(20, 60)
        img += amp * np.exp(-(((xx - gx) ** 2 + (yy - gy) ** 2) / (2 * sig**2)))[..., None]
    # vignetting and exposure
    yy, xx = np.mgrid[0:H, 0:W]
    r2 = ((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2
    img *= (1 - (rng.uniform(0.3, 0.8) if strong else rng.uniform(0, 0.3)) * r2)[..., None]
    img *= rng.uniform(0.7, 1.15) if strong else rng.uniform(0.9, 1.05)
    k = rng.uniform(1.0, 2.2) if strong else rng.uniform(0, 0.8)
    if k > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), k)
    img += rng.normal(0, rng.uniform(4, 10) if strong else rng.uniform(0, 3), img.shape)
    img8 = np.clip(img, 0, 255).astype(np.uint8)
    q = int(rng.integers(35, 70) if strong else rng.integers(80, 96))
    ok, buf = cv2.imencode(".jpg", img8, [cv2.IMWRITE_JPEG_QUALITY, q])
    return cv2.imdecode(buf, cv2.IMREAD_COLOR), Hm
