"""Fixtures shared by the report tests: one small moto run per session."""
import pytest

# Three moto implements (schemas) and two it lacks; none whose failure takes long to shrink.
MOTO_OPS = ["DescribeSchema", "DeleteSchema", "ListSchemas", "CreateCampaign", "ListRecipes"]


def small_run(out_dir, name, **options):
    from personalize_conformance.runner import RunOptions, conformance_run
    options.setdefault("examples", 3)
    options.setdefault("seed", 20261126)
    return conformance_run(RunOptions(out_dir=str(out_dir), run_id=name, progress=False, **options))


@pytest.fixture(scope="session")
def moto_run(tmp_path_factory):
    """(results document, run folder) of a run against moto on MOTO_OPS."""
    return small_run(tmp_path_factory.mktemp("moto"), "moto", target="moto", operations=MOTO_OPS)
