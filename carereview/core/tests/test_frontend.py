"""ensure_frontend when two callers find the stylesheet stale at once (the test suite's workers
under pytest-xdist): one builds, the other waits and then finds it built."""

import threading
import time

from carereview.core import frontend


def test_two_callers_at_once_build_the_stale_stylesheet_once(tmp_path, monkeypatch):
    source = tmp_path / "app.scss"
    source.write_text("body { color: #0b0c0c; }\n")
    package = tmp_path / "node_modules" / "govuk-frontend" / "package.json"
    package.parent.mkdir(parents=True)
    package.write_text("{}\n")
    built = tmp_path / "build" / "app.css"
    monkeypatch.setattr(frontend, "SOURCE", source)
    monkeypatch.setattr(frontend, "PACKAGE", package)
    monkeypatch.setattr(frontend, "BUILT", built)
    monkeypatch.setattr(frontend, "BUILD_LOCK", built.parent / ".build.lock")

    runs: list[tuple[str, ...]] = []

    def npm(*args):
        # Stands in for `npm run build` (whose output path package.json fixes to the real
        # stylesheet): takes a while, then writes the file.
        runs.append(args)
        time.sleep(0.3)
        built.write_text("body{color:#0b0c0c}\n")

    monkeypatch.setattr(frontend, "_npm", npm)
    start = threading.Barrier(2)
    errors: list[Exception] = []

    def call():
        start.wait()
        try:
            frontend.ensure_frontend(log=lambda message: None)
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert runs == [("run", "build")]
    assert built.read_text() == "body{color:#0b0c0c}\n"
