"""Instructions per event from `callgrind_annotate --inclusive=yes` of a BENCH_CAPTURE_ONLY run of
bench_mysql (tests/bench/run_mysql.sh instr:COLS:on|off).

    instr_summary.py ANNOTATE_OUTPUT EVENTS COLS SCHEMAS

The reader thread is MySqlTask::reader_loop (binlog events to records); the task thread is the
benchmark's capture pass (poll, JsonConverter for key and value, the records freed), of which
JsonConverter::from_connect is the conversion. The capture pass includes the task's start (its
schema snapshot): a fixed cost, small beside 50 000 events.
"""
import re
import sys


def inclusive(lines, pattern):
    for line in lines:
        if pattern in line:
            m = re.match(r"\s*([\d,]+)", line)
            if m:
                return int(m.group(1).replace(",", ""))
    sys.exit(f"instr_summary: no '{pattern}' in the callgrind output")


def main():
    path, events, cols, schemas = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    reader = inclusive(lines, "MySqlTask::reader_loop()")
    task = inclusive(lines, "(anonymous namespace)::capture(")
    convert = inclusive(lines, "JsonConverter::from_connect(")
    per = lambda n: round(n / events)  # noqa: E731
    print(f"== instr cols={cols} schemas={schemas} events={events}: instructions per event: "
          f"reader thread {per(reader)}, JsonConverter {per(convert)}, rest of the task thread "
          f"{per(task - convert)}, total {per(reader + task)}")


if __name__ == "__main__":
    main()
