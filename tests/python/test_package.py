"""The installed package: version, exports, type information."""
import importlib.metadata
import importlib.resources
import pathlib
import re

import synthscale
from synthscale import _core


def test_version_is_the_projects():
    cmake = (pathlib.Path(__file__).resolve().parents[2] / "CMakeLists.txt").read_text()
    project_version = re.search(r"project\(synthscale\s+VERSION\s+([0-9.]+)", cmake).group(1)
    assert synthscale.__version__ == project_version
    assert importlib.metadata.version("synthscale") == project_version
    assert _core.version() == project_version


def test_public_names_exist():
    for name in synthscale.__all__:
        assert hasattr(synthscale, name), name


def test_typed_package_with_stubs_for_the_compiled_module():
    files = importlib.resources.files("synthscale")
    assert files.joinpath("py.typed").is_file()
    stub = files.joinpath("_core.pyi").read_text()
    declared = set(re.findall(r"^(?:def|class) (\w+)", stub, flags=re.MULTILINE))
    declared |= set(re.findall(r"^(\w+):", stub, flags=re.MULTILINE))
    compiled = {name for name in dir(_core) if not name.startswith("_") or name == "__version__"}
    assert compiled == declared
    model_methods = set(re.findall(r"^    def (\w+)", stub.split("class Model:")[1], flags=re.MULTILINE))
    assert model_methods == {name for name in dir(_core.Model) if not name.startswith("_")}


def test_sampling_releases_the_gil():
    """While the library samples in one thread, Python code keeps running in another."""
    import threading
    import time

    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"x": np.arange(100) % 7})
    model = synthscale.Independent(random_state=1, threads=1).fit(frame)._model
    done = threading.Event()

    def draw():
        model.sample(4_000_000, 1, "iid", 1)  # a few hundred milliseconds in C++
        done.set()

    thread = threading.Thread(target=draw)
    thread.start()
    ticks = 0
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    # Holding the GIL would freeze this loop for the whole call: a handful of ticks at most.
    assert ticks >= 10
