"""The routes of ``starclass inspect``, one router per thing served.

=================  ==========================================================================
:mod:`.pages`      the HTML pages: ``/login`` and the classification page ``/``
:mod:`.sessions`   ``/api/login``, ``/api/logout``, ``/api/me``
:mod:`.candidates` ``/api/queue``, ``/api/candidate/{id}``, ``/api/fit/{id}``, ``/img/...``
:mod:`.labels`     ``/api/label``, ``/api/history/{id}``, ``/api/scheme``, ``/api/consensus``
:mod:`.datafiles`  ``/data/{path}``: files of the data directory
=================  ==========================================================================

The routers keep no state of their own: :func:`starclass.inspect.app.create_app` puts the
field and the database engine in ``app.state``, and :mod:`.deps` hands them to the routes.
The JSON routes return plain dicts with ``response_model=None``, so FastAPI encodes them
directly, without a validation pass through a model built from the return annotation.
"""
