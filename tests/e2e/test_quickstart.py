"""The README's first command, deploy/quickstart.sh, run as a newcomer runs it (on free ports, in a
directory of the test's own, stopping when it has shown the events): the seed's connector JSON
over REST against a real PostgreSQL and Kafka, an INSERT, UPDATE and DELETE arriving as Debezium
events, the status endpoint and a metrics line; and the generator demo."""
import json
import os
import subprocess

from conftest import REPO, free_port


def run_quickstart(tmp_path, *args):
    env = dict(os.environ, KAFKA_PORT=str(free_port()), PG_PORT=str(free_port()),
               REST_PORT=str(free_port()), QUICKSTART_DIR=str(tmp_path / "run"),
               QUICKSTART_EXIT="1")
    r = subprocess.run([str(REPO / "deploy" / "quickstart.sh"), *args], env=env, cwd=tmp_path,
                       capture_output=True, text=True, timeout=900)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-4000:]
    return r.stdout


def test_quickstart_shows_the_main_job(tmp_path):
    out = run_quickstart(tmp_path)
    events = [line for line in out.splitlines() if line.startswith("  key ")]
    assert len(events) == 4, out[-3000:]
    assert '"order_id":1' in events[0] and "op=c before=null" in events[0], events
    assert "op=u" in events[1] and '"status": "new"' in events[1] and \
        '"status": "shipped"' in events[1], events
    assert "op=d" in events[2] and "after=null" in events[2], events
    assert "tombstone" in events[3], events
    assert '"connector":{"state":"RUNNING"' in out and '"tasks":[{"id":0,"state":"RUNNING"' in out
    assert 'debezium_metrics_TotalNumberOfEventsSeen{connector="inventory-connector",' \
           'context="streaming"' in out, out[-2000:]


def test_quickstart_generator_demo(tmp_path):
    out = run_quickstart(tmp_path, "--generator")
    assert '"state":"RUNNING"' in out, out[-2000:]
    # The first five events of quickstart.rows, as kcat prints them: rows seq 0..4.
    events = [line for line in out.splitlines() if '"payload":{"seq":' in line]
    assert [json.loads(e)["payload"]["seq"] for e in events] == [0, 1, 2, 3, 4], out[-2000:]
