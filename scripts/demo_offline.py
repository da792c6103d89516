"""The whole pipeline with no network: history, backtest, the daily run, an alert, the report.

    uv run python scripts/demo_offline.py [--out DIR] [--prefect-api-url URL]

Everything comes from files the project ships (tests/fixtures, written from real figures)
and everything listens on 127.0.0.1:

1. `thesis backtest` over the shipped 2024 LiteLLM history prints the alerts it fires
   (GPT-4o's and Gemini 1.5 Pro's real October 2024 price cuts; a one-day typo stays quiet).
2. `thesis import-snapshots` seeds a warehouse with that history and with three dated
   copies of DeepSeek's pricing page: two as recorded, then the day its promotional
   deepseek-v4-pro price ($0.435 in, $0.87 out) became the list price.
3. `thesis run --no-fundamentals` runs the real daily flow (Prefect: a temporary local
   server, or the one --prefect-api-url names) against a local HTTP server that serves
   every source's recorded payload (tests/fixtures/e2e, and each watched-model source's
   answer for one model): it fetches, archives, parses and loads every source, inverts
   today's prices through the roofline model, and the DeepSeek cut, now seen on two days,
   is confirmed and alerted to a local webhook standing in for Slack, which prints what
   it received.
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
    for path in sorted((RECORDED / "watched").glob("*/*.json")):
        # A watched-model source's answer for one model, at /<source-id>/<org>/<name>.
        bodies[f"{path.parent.name}/{path.stem.replace('__', '/')}"] = path.read_bytes()
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


def source_env(base: str, bodies: dict[str, bytes]) -> dict[str, str]:
    """THESIS_URL_<ID> for every source, pointing at the local server; each watched-model
    source watches the models it has an answer for."""
    from extractors.registry import SOURCES, WATCHED

    env = {"THESIS_URL_" + sid.upper().replace("-", "_"): f"{base}/{sid}" for sid in SOURCES}
    for sid in WATCHED:
        name = sid.upper().replace("-", "_")
        env[f"THESIS_URL_{name}"] = f"{base}/{sid}/{{model}}"
        models = [key.split("/", 1)[1] for key in bodies if key.startswith(f"{sid}/")]
        env[f"THESIS_{name}_MODELS"] = ",".join(models)
    return env


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


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument(
        "--out", type=Path, default=Path("out/demo"), help="output folder (default: out/demo)"
    )
    parser.add_argument(
        "--prefect-api-url",
        metavar="URL",
        help="a running Prefect server's API for `thesis run` (default: it starts a temporary one)",
    )
    return parser.parse_args()


def fresh_folder(out: Path) -> None:
    """An empty `out`: only ever empty a folder an earlier demo wrote, never one a user
    pointed at."""
    if out.exists() and any(out.iterdir()):
        if not (out / "thesis.duckdb").exists():
            raise SystemExit(f"{out} is not empty and not a demo folder: choose another --out")
        shutil.rmtree(out)
    out.mkdir(parents=True)


def daily_run(db: Path, env: dict[str, str], prefect_api_url: str | None) -> None:
    """`thesis run` against the local server; then what the Slack stand-in received."""
    posts: list[dict[str, Any]] = []
    bodies = todays_payloads()
    server = serve(bodies, posts)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print(f"\n(serving {len(bodies)} recorded payloads and a Slack webhook on {base})")
    run_env = env | source_env(base, bodies) | {"THESIS_SLACK_WEBHOOK_URL": base + SLACK_PATH}
    if prefect_api_url:
        run_env["PREFECT_API_URL"] = prefect_api_url
    try:
        thesis("run", "--no-fundamentals", "--db", str(db), env=run_env)
    finally:
        server.shutdown()
    print_slack(posts)


def main() -> None:
    args = arguments()
    out: Path = args.out.resolve()
    fresh_folder(out)
    db = out / "thesis.duckdb"
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

    daily_run(db, env, args.prefect_api_url)

    thesis("report", "--db", str(db), "--out", str(out / "report"), env=env)
    print(f"\nOpen {out / 'report' / 'index.html'} in a browser.")


if __name__ == "__main__":
    main()
