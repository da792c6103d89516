"""The whole pipeline with no network: history, backtest, the daily run, an alert, the report.

    uv run python scripts/demo_offline.py [--out DIR]

Everything comes from files the project ships (tests/fixtures, written from real figures)
and everything listens on 127.0.0.1:

1. `thesis backtest` over the shipped 2024 LiteLLM history prints the alerts it fires
   (GPT-4o's and Gemini 1.5 Pro's real October 2024 price cuts; a one-day typo stays quiet).
2. `thesis import-snapshots` seeds a warehouse with that history and with three dated
   copies of DeepSeek's pricing page: two as recorded, then the day its promotional
   deepseek-v4-pro price ($0.435 in, $0.87 out) became the list price.
3. `thesis run --no-fundamentals` runs the real daily flow (Prefect, a temporary local
   server) against a local HTTP server that serves every source's recorded payload: it
   fetches, archives, parses and loads all seven sources, inverts today's prices through
   the roofline model, and the DeepSeek cut, now seen on two days, is confirmed and
   alerted to a local webhook standing in for Slack, which prints what it received.
4. `thesis report` writes the HTML report with its charts.

The commands are printed as they run. The output folder (default out/demo, which git
ignores) holds the warehouse, the dated history and the report; it is emptied first, so
every run of the demo starts afresh.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"
LITELLM_HISTORY = FIXTURES / "alerts" / "litellm_history"
RECORDED = FIXTURES / "e2e"
SLACK_PATH = "/services/T000/B000/demo"


def todays_payloads() -> dict[str, bytes]:
    """Every source's recorded payload; DeepSeek's is the page after the change."""
    files = {p.name.split(".")[0]: p for p in (RECORDED / "day1").iterdir() if p.is_file()}
    files["deepseek-docs"] = RECORDED / "day3" / "deepseek-docs.html"
    bodies = {sid: path.read_bytes() for sid, path in files.items()}
    bodies["litellm"] = litellm_today()
    return bodies


def litellm_today() -> bytes:
    """The recorded LiteLLM file with the history's last models kept in it, as the real
    feed keeps listing old models: served alone, the trimmed recording would remove every
    price the history stored, which the shrink guard rightly refuses."""
    last = sorted(LITELLM_HISTORY.glob("*_litellm.json"))[-1]
    entries = json.loads(last.read_bytes())
    entries |= json.loads((RECORDED / "day1" / "litellm.json").read_bytes())
    return json.dumps(entries, indent=1).encode()


def write_deepseek_history(folder: Path, today: datetime) -> None:
    """The page as recorded three and two days ago, and the changed page yesterday."""
    folder.mkdir(parents=True, exist_ok=True)
    before = (RECORDED / "day1" / "deepseek-docs.html").read_bytes()
    after = (RECORDED / "day3" / "deepseek-docs.html").read_bytes()
    for days_ago, body in ((3, before), (2, before), (1, after)):
        day = (today - timedelta(days=days_ago)).replace(hour=6, minute=0, second=0)
        (folder / f"{day:%Y-%m-%dT%H%M%S}_deepseek-docs.html").write_bytes(body)


def serve(bodies: dict[str, bytes], slack: list[dict[str, Any]]) -> ThreadingHTTPServer:
    """GET /<source-id> answers with the recorded payload; POST to the Slack path is kept."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = bodies.get(self.path.strip("/"))
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
            if self.path != SLACK_PATH:
                self.send_error(404)
                return
            slack.append(json.loads(data))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def thesis(*args: str, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> None:
    """Run one `thesis` command, printing it first, as a reader would type it."""
    shown = " ".join(_short(a) for a in args)
    print(f"\n$ thesis {shown}", flush=True)
    exe = Path(sys.executable).with_name("thesis")
    done = subprocess.run([str(exe), *args], env=env, cwd=ROOT, check=False)
    if done.returncode not in ok:
        raise SystemExit(f"`thesis {shown}` exited with {done.returncode}")


def _short(arg: str) -> str:
    """A path under the current folder or the project, as a relative path."""
    for base in (Path.cwd(), ROOT):
        if arg.startswith(f"{base}{os.sep}"):
            return arg[len(str(base)) + 1 :]
    return arg


def print_slack(posts: list[dict[str, Any]]) -> None:
    print(f"\nThe local Slack stand-in received {len(posts)} message(s):")
    for post in posts:
        print(f"  {post['text']}")
        for block in post["blocks"]:
            if block["type"] == "section":
                for line in block["text"]["text"].splitlines():
                    print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument(
        "--out", type=Path, default=Path("out/demo"), help="output folder (default: out/demo)"
    )
    parser.add_argument(
        "--prefect-api-url",
        metavar="URL",
        help="a running Prefect server's API for `thesis run` (default: it starts a temporary one)",
    )
    args = parser.parse_args()
    out: Path = args.out.resolve()
    if out.exists() and any(out.iterdir()):
        # Only ever empty a folder an earlier demo wrote, never one a user pointed at.
        if not (out / "thesis.duckdb").exists():
            raise SystemExit(f"{out} is not empty and not a demo folder: choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    db = out / "thesis.duckdb"
    from extractors.registry import SOURCES

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("THESIS_", "PREFECT_API_URL", "PREFECT_HOME"))
    }
    env |= {"PREFECT_HOME": str(out / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}

    thesis("backtest", "--source", "litellm", "--snapshots", str(LITELLM_HISTORY), env=env)

    write_deepseek_history(out / "history" / "deepseek-docs", datetime.now(UTC))
    history = str(out / "history" / "deepseek-docs")
    for folder, source in ((str(LITELLM_HISTORY), "litellm"), (history, "deepseek-docs")):
        thesis("import-snapshots", folder, "--source", source, "--db", str(db), env=env)

    posts: list[dict[str, Any]] = []
    server = serve(todays_payloads(), posts)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = {"THESIS_URL_" + sid.upper().replace("-", "_"): f"{base}/{sid}" for sid in SOURCES}
    print(f"\n(serving the recorded payloads of {len(urls)} sources and a Slack webhook on {base})")
    run_env = env | urls | {"THESIS_SLACK_WEBHOOK_URL": base + SLACK_PATH}
    if args.prefect_api_url:
        run_env["PREFECT_API_URL"] = args.prefect_api_url
    try:
        thesis("run", "--no-fundamentals", "--db", str(db), env=run_env)
    finally:
        server.shutdown()
    print_slack(posts)

    thesis("report", "--db", str(db), "--out", str(out / "report"), env=env)
    print(f"\nOpen {out / 'report' / 'index.html'} in a browser.")


if __name__ == "__main__":
    main()
