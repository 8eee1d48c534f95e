"""Two-variable loss surfaces f(x, y) on which optimizers race (week 3, "Optimizers").

Classic test functions of numerical optimisation (Rosenbrock 1960; Beale 1958; Himmelblau
1972; Rastrigin 1974), a saddle x^2 - y^2 and an ill-conditioned quadratic bowl. Each
`Surface` carries its formula (LaTeX), a view box, its global minima (where f = f_min), the
stationary points worth marking (the saddle point) and a start point that makes the race
interesting. ``f`` works on tensors of any shape, element by element, so one call evaluates
a batch of points or a whole contour grid, and autograd gives the gradient.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import torch
from torch import Tensor

#: Condition number of the quadratic bowl f = (x^2 + KAPPA y^2) / 2 (ratio of its curvatures).
KAPPA = 25.0


def rosenbrock(x: Tensor, y: Tensor) -> Tensor:
    """f = (1 - x)^2 + 100 (y - x^2)^2; one minimum f(1, 1) = 0 at the end of a curved valley."""
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def beale(x: Tensor, y: Tensor) -> Tensor:
    """f = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2; minimum f(3, 0.5) = 0."""
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def himmelblau(x: Tensor, y: Tensor) -> Tensor:
    """f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2; four minima, all with f = 0."""
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def saddle(x: Tensor, y: Tensor) -> Tensor:
    """f = x^2 - y^2; a saddle point at (0, 0), unbounded below along y (no minimum)."""
    return x**2 - y**2


def bowl(x: Tensor, y: Tensor) -> Tensor:
    """f = (x^2 + KAPPA y^2) / 2; minimum f(0, 0) = 0, curvatures 1 and KAPPA."""
    return 0.5 * (x**2 + KAPPA * y**2)


def rastrigin(x: Tensor, y: Tensor) -> Tensor:
    """f = 20 + x^2 - 10 cos(2 pi x) + y^2 - 10 cos(2 pi y); global minimum f(0, 0) = 0,
    a local minimum near every integer point."""
    two_pi = 2 * math.pi
    return 20 + x**2 - 10 * torch.cos(two_pi * x) + y**2 - 10 * torch.cos(two_pi * y)


@dataclass(frozen=True)
class Surface:
    """A loss surface: f, its LaTeX formula, view box (xmin, xmax, ymin, ymax), minima."""

    key: str
    f: Callable[[Tensor, Tensor], Tensor]
    latex: str
    box: tuple[float, float, float, float]
    minima: tuple[tuple[float, float], ...]
    f_min: float | None  # None: unbounded below
    start: tuple[float, float]
    stationary: tuple[tuple[float, float], ...] = ()

    def __call__(self, xy: Tensor) -> Tensor:
        """xy: (..., 2) -> f: (...)."""
        return self.f(xy[..., 0], xy[..., 1])

    def gap(self, values: Tensor) -> Tensor:
        """f - f_min (the quantity plotted on a log scale); f itself when unbounded."""
        return values - self.f_min if self.f_min is not None else values

    def nearest_minimum(self, xy: Tensor) -> tuple[Tensor, Tensor]:
        """xy: (..., 2) -> (distance to the nearest minimum (...), its index (...)).

        Raises ValueError for a surface without minima (the saddle).
        """
        if not self.minima:
            raise ValueError(f"surface {self.key!r} has no minimum")
        mins = torch.tensor(self.minima, dtype=xy.dtype, device=xy.device)  # (M, 2)
        d = torch.linalg.vector_norm(xy[..., None, :] - mins, dim=-1)  # (..., M)
        return d.min(dim=-1)


# Himmelblau's minima to 6 decimals (roots of grad f = 0; (3, 2) is exact).
_HIMMELBLAU_MINIMA = ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126))

SURFACES: dict[str, Surface] = {
    s.key: s
    for s in (
        Surface("rosenbrock", rosenbrock, r"f(x,y) = (1-x)^2 + 100\,(y-x^2)^2",
                (-2.0, 2.0, -1.0, 3.0), ((1.0, 1.0),), 0.0, (-1.2, 1.0)),
        Surface("beale", beale,
                r"f(x,y) = (1.5-x+xy)^2 + (2.25-x+xy^2)^2 + (2.625-x+xy^3)^2",
                (-4.5, 4.5, -4.5, 4.5), ((3.0, 0.5),), 0.0, (0.7, 1.4)),
        Surface("himmelblau", himmelblau, r"f(x,y) = (x^2+y-11)^2 + (x+y^2-7)^2",
                (-5.0, 5.0, -5.0, 5.0), _HIMMELBLAU_MINIMA, 0.0, (-0.3, -0.9)),
        Surface("saddle", saddle, r"f(x,y) = x^2 - y^2",
                (-2.0, 2.0, -2.0, 2.0), (), None, (-1.8, 0.001), stationary=((0.0, 0.0),)),
        Surface("bowl", bowl, rf"f(x,y) = \frac{{1}}{{2}}\,(x^2 + {KAPPA:g}\,y^2)",
                (-3.0, 3.0, -2.0, 2.0), ((0.0, 0.0),), 0.0, (-2.7, 1.5)),
        Surface("rastrigin", rastrigin,
                r"f(x,y) = 20 + x^2 - 10\cos 2\pi x + y^2 - 10\cos 2\pi y",
                (-5.12, 5.12, -5.12, 5.12), ((0.0, 0.0),), 0.0, (-2.3, 3.2)),
    )
}


def get_surface(key: str) -> Surface:
    """The surface named ``key``; StudioError('optim_race.unknown_surface') otherwise."""
    from core.errors import StudioError

    if key not in SURFACES:
        raise StudioError("optim_race.unknown_surface", name=key, choices=", ".join(SURFACES))
    return SURFACES[key]


def grid(surface: Surface, n: int = 240, dtype=torch.float64) -> tuple[Tensor, Tensor, Tensor]:
    """(X, Y, F), each (n, n), over the surface's view box, for contour plots."""
    x0, x1, y0, y1 = surface.box
    xs = torch.linspace(x0, x1, n, dtype=dtype)
    ys = torch.linspace(y0, y1, n, dtype=dtype)
    Y, X = torch.meshgrid(ys, xs, indexing="ij")
    return X, Y, surface.f(X, Y)
