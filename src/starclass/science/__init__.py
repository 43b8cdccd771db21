"""Science checks of a classified catalogue: colour-colour boxes and QR, SSP track, mass and age
functions, luminosity functions, the bright end, Grad-CAM, and the LEGUS NGC 1566 validation.

Grad-CAM (:mod:`starclass.science.gradcam`) imports torch lazily; nothing here imports torch
at module level.
"""

from starclass.science.agefunc import age_distribution, age_distributions  # noqa: F401
from starclass.science.colour import BOXES, box_counts, box_of, colours, qr_table, quality_ratio  # noqa: F401
from starclass.science.luminosity import bright_end, luminosity_function  # noqa: F401
from starclass.science.massfunc import fit_powerlaw_binned, fit_powerlaw_ml, mass_functions, mass_limit  # noqa: F401
from starclass.science.ssp import load_ssp, ssp_track  # noqa: F401
