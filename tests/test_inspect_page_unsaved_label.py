"""The labelling page (``inspect.js``) when the server does not keep a label.

The page shows a label as given before the server answers. When the answer was an error (the
database read-only, full or locked: 503 since 2026-12-04), the candidate stayed shown and
counted as labelled ("you labelled N"), with only the status line saying "NOT saved": labelling
on, the person left it behind. Run with node (skipped without it), on stubs of the DOM and fetch.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import starclass.inspect
from conftest import PAGE_DOM_STUB

PAGE = Path(starclass.inspect.__file__).parent / "static" / "inspect.js"

#: Loads the page's script on stubbed document/fetch, then saves a label the server refuses (503) and
#: one it keeps, printing the candidate's label, the labelled set and the status line after each.
HARNESS = PAGE_DOM_STUB + r"""
globalThis.window = {addEventListener() {}, location: {}};
globalThis.answers = [];
globalThis.fetch = async (path) => {
  if (!path.startsWith("/api/label")) return {ok: true, status: 200, json: async () => ({ids: [], labelled: []})};
  const a = globalThis.answers.shift();
  return {ok: a.status === 200, status: a.status, json: async () => a.body};
};
const harness = `
;(async () => {
  await new Promise((r) => setTimeout(r, 20));
  state.ids = ["7", "8"]; state.idx = 0;
  const c = {id: "7", label: null};
  state.current = c;
  const settle = async () => { await state.saveChain; await new Promise((r) => setTimeout(r, 20)); };
  answers.push({status: 503, body: {detail: "the label database /x/labels.sqlite cannot be written"}});
  save(1, null);
  await settle();
  const out = {failed: {label: c.label, labelled: [...state.labelled], status: $("status").textContent,
                        pending: state.pending}};
  answers.push({status: 200, body: {cls: 2, subclass: null, comment: "", revision: 1}});
  save(2, null);
  await settle();
  out.saved = {label: c.label, labelled: [...state.labelled], status: $("status").textContent};
  console.log(JSON.stringify(out));
})();`;
(0, eval)(src + harness);
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_label_the_server_did_not_keep_is_undone_on_the_page(tmp_path):
    (tmp_path / "harness.js").write_text(HARNESS)
    run = subprocess.run(["node", str(tmp_path / "harness.js"), str(PAGE)], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    failed, saved = out["failed"], out["saved"]
    assert failed["label"] is None and failed["labelled"] == [] and failed["pending"] == 0
    assert failed["status"] == "NOT saved (7): the label database /x/labels.sqlite cannot be written"
    # a label the server keeps is shown and counted as before
    assert saved["label"]["cls"] == 2 and saved["labelled"] == ["7"] and saved["status"] == "saved"
