"""SQLite writers of all threads and processes take turns on one lock (cases.sqlite_writer)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from cases.db import make_engine
from cases.sqlite_writer import lock_for

HOLD_LOCK = """
import sys
from pathlib import Path
from cases.sqlite_writer import lock_for
lock = lock_for(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
sys.stdin.readline()
lock.release()
"""

WRITE_ROWS = """
import sys
from sqlalchemy import text
from cases.db import make_engine
engine = make_engine("sqlite:///" + sys.argv[1])
for n in range(int(sys.argv[3])):
    with engine.begin() as connection:
        row = {"w": sys.argv[2], "n": n}
        connection.execute(text("INSERT INTO tally (writer, n) VALUES (:w, :n)"), row)
        connection.execute(text("UPDATE total SET value = value + 1"))
"""


def _database(tmp_path: Path) -> tuple[Path, Engine]:
    path = tmp_path / "writers.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE tally (writer TEXT, n INTEGER)"))
        connection.execute(text("CREATE TABLE total (value INTEGER)"))
        connection.execute(text("INSERT INTO total VALUES (0)"))
    return path, engine


def test_a_writer_waits_for_another_process_holding_the_lock(tmp_path: Path) -> None:
    path, engine = _database(tmp_path)
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdin is not None
        assert holder.stdout.readline().strip() == "held"
        done = threading.Event()

        def write() -> None:
            with engine.begin() as connection:
                connection.execute(text("UPDATE total SET value = value + 1"))
            done.set()

        writer = threading.Thread(target=write)
        writer.start()
        # Reading never waits for the lock (WAL).
        with engine.connect() as connection:
            assert connection.execute(text("SELECT value FROM total")).scalar_one() == 0
        assert not done.wait(0.5), "the write went ahead while another process held the lock"
        holder.stdin.write("release\n")
        holder.stdin.flush()
        writer.join(timeout=30)
        assert done.is_set()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM total")).scalar_one() == 1


def test_processes_and_threads_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path, engine = _database(tmp_path)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITE_ROWS, str(path), f"p{n}", "150"])
        for n in range(3)
    ]
    errors: list[BaseException] = []

    def write_in_thread(name: str) -> None:
        try:
            for n in range(150):
                with engine.begin() as connection:
                    connection.execute(
                        text("INSERT INTO tally (writer, n) VALUES (:w, :n)"), {"w": name, "n": n}
                    )
                    connection.execute(text("UPDATE total SET value = value + 1"))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write_in_thread, args=(f"t{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0]
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM tally")).scalar_one() == 750
        assert connection.execute(text("SELECT value FROM total")).scalar_one() == 750


def test_the_lock_is_let_go_after_a_rollback_and_a_failed_statement(tmp_path: Path) -> None:
    path, engine = _database(tmp_path)
    with engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(text("UPDATE total SET value = 5"))
        transaction.rollback()
    with engine.connect() as connection:
        transaction = connection.begin()
        with pytest.raises(OperationalError):
            connection.execute(text("INSERT INTO missing_table VALUES (1)"))
        transaction.rollback()
    # Free again: another thread of this process can take it at once.
    lock = lock_for(path)
    taken = threading.Event()

    def take() -> None:
        lock.acquire()
        taken.set()
        lock.release()

    thread = threading.Thread(target=take)
    thread.start()
    thread.join(timeout=10)
    assert taken.is_set()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM total")).scalar_one() == 0
