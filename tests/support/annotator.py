"""Apache Annotator for the browser tests: one script built from pinned npm packages.

``tests/browser/annotator/`` pins ``@apache-annotator/dom``, ``@apache-annotator/selector`` and
esbuild in its ``package-lock.json``; ``npm ci`` and ``npm run build`` there write
``build/apache-annotator.js`` (ignored by git), an IIFE that defines the global
``ApacheAnnotator``. The bundle is built when missing or older than its sources, the only time
the npm registry is asked; pages never fetch anything at run time. The minified bundle is about
150 kB, mostly the core-js polyfills the packages are compiled against, too big to commit.

``python -m tests.support.annotator`` (``make annotator-bundle``) builds it by hand.
"""

import fcntl
import shutil
import subprocess
import sys
from pathlib import Path

ANNOTATOR_DIR = Path(__file__).resolve().parents[1] / "browser" / "annotator"
BUNDLE = ANNOTATOR_DIR / "build" / "apache-annotator.js"
SOURCES = [ANNOTATOR_DIR / name for name in ("package.json", "package-lock.json", "entry.js")]
# A cold `npm ci` takes a few seconds; a registry that does not answer must not hang the suite.
NPM_TIMEOUT_SECONDS = 300


class BundleUnavailable(Exception):
    """The bundle is missing and cannot be built here (no npm, no registry, a failed build)."""


def is_current():
    if not BUNDLE.exists():
        return False
    built = BUNDLE.stat().st_mtime
    return all(source.stat().st_mtime <= built for source in SOURCES)


def run_npm(npm, *arguments):
    try:
        subprocess.run(
            [npm, *arguments],
            cwd=ANNOTATOR_DIR,
            check=True,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_SECONDS,
        )
    except subprocess.CalledProcessError as error:
        output = (error.stderr or error.stdout).strip().splitlines()
        last = output[-1] if output else f"exit status {error.returncode}"
        raise BundleUnavailable(f"npm {arguments[0]} in {ANNOTATOR_DIR} failed: {last}") from None
    except subprocess.TimeoutExpired:
        raise BundleUnavailable(
            f"npm {arguments[0]} in {ANNOTATOR_DIR} took over {NPM_TIMEOUT_SECONDS} s"
        ) from None


def build():
    """Build the bundle unless it is current; return its path.

    CI runs two suites side by side in one checkout, so the check and the build hold a file
    lock: the second waits for the first and then finds the bundle current, never half written.
    """
    BUNDLE.parent.mkdir(exist_ok=True)
    with open(BUNDLE.parent / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_current():
            return BUNDLE
        npm = shutil.which("npm")
        if npm is None:
            raise BundleUnavailable("npm not found: install Node.js 18 or newer with npm")
        # Install scripts stay off: esbuild finds its binary in its platform package, and
        # nothing else here needs one.
        run_npm(npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund")
        run_npm(npm, "run", "build")
    return BUNDLE


def script():
    """The bundle's text, for ``page.add_script_tag(content=...)``."""
    return build().read_text(encoding="utf-8")


if __name__ == "__main__":
    try:
        print(build())
    except BundleUnavailable as error:
        sys.exit(str(error))
