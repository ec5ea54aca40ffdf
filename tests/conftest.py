import shutil
from pathlib import Path

import pytest

from pipeline.demo.sample_registry import write_sample_registry
from pipeline.reference import load_reference
from pipeline.registry import load_registry
from pipeline.settings import Settings
from tests.builders import Workspace


@pytest.fixture(scope="session")
def reference():
    return load_reference()


@pytest.fixture(scope="session")
def sample_registry_path(tmp_path_factory, reference) -> Path:
    path = tmp_path_factory.mktemp("registry") / "registry.xlsx"
    write_sample_registry(path, reference)
    return path


@pytest.fixture(scope="session")
def registry(sample_registry_path, reference):
    return load_registry(sample_registry_path, reference)


@pytest.fixture(scope="session")
def template_root(tmp_path_factory) -> Path:
    """Templates are written once per session and shared: clerks only read them."""
    return tmp_path_factory.mktemp("templates")


@pytest.fixture
def workspace(tmp_path, sample_registry_path, registry, reference, template_root) -> Workspace:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copyfile(sample_registry_path, root / "registry.xlsx")
    return Workspace(root, registry, reference, template_root)


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory) -> Path:
    """The demo, built and run once; tests that change it work on a copy."""
    from pipeline.cli import main

    root = tmp_path_factory.mktemp("demo") / "demo"
    assert main(["demo", "--workspace", str(root)]) == 0
    return root


@pytest.fixture
def demo_settings(demo_workspace) -> Settings:
    return Settings(workspace=demo_workspace)
