"""Survey scale (``starclass survey``): many fields, and tiles of big mosaics, on dask.distributed.

* :func:`read_plan` -> :class:`SurveyPlan` (:mod:`.plan`): fields, model, tile size, overlap.
* :func:`tile_grid`, :func:`assign_tiles` (:mod:`.tiles`): cores as half-open intervals, so a
  candidate belongs to exactly one tile; :class:`MosaicWindow` is a tile's view of a mosaic.
* :func:`run_tile` (:mod:`.work`): a worker's task, written atomically with its digest.
* :func:`merge_tiles`, :func:`reconcile` (:mod:`.merge`): a field's catalogue from its tiles.
* :func:`run_survey` (:mod:`.run`): the whole survey on a LocalCluster, a scheduler address
  or any cluster object (``dask_jobqueue``), restartable.

docs/survey.md describes the plan, the outputs and the figures.
"""

from starclass.survey.merge import merge_tiles, reconcile
from starclass.survey.plan import FieldSpec, SurveyPlan, read_plan
from starclass.survey.run import SurveyResult, make_client, prepare, run_survey, summary_lines
from starclass.survey.tiles import MosaicWindow, Tile, assign_tiles, tile_grid
from starclass.survey.work import run_tile

__all__ = ["FieldSpec", "MosaicWindow", "SurveyPlan", "SurveyResult", "Tile", "assign_tiles", "make_client",
           "merge_tiles", "prepare", "read_plan", "reconcile", "run_survey", "run_tile", "summary_lines",
           "tile_grid"]
