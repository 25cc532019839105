"""Helpers for the browser tests: an isolated JupyterLab server and headless Chromium.

Facts these rely on are in ``/work/shared/BROWSER_TESTING.md``: Debian's Chromium at
``/usr/bin/chromium`` (never ``playwright install``), ``--allow-root``, isolated
``JUPYTER_*`` directories, and the news pop-up switched off.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isolated_env(base: Path) -> dict[str, str]:
    """Environment with Jupyter's config, data, runtime and settings under ``base``."""
    env = dict(os.environ)
    dirs = {
        "JUPYTER_CONFIG_DIR": base / "config",
        "JUPYTER_DATA_DIR": base / "data",
        "JUPYTER_RUNTIME_DIR": base / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": base / "settings",
        "JUPYTERLAB_WORKSPACES_DIR": base / "workspaces",
        "IPYTHONDIR": base / "ipython",
    }
    for key, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[key] = str(path)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    news = dirs["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    # start the notebook's kernel without asking ("Select Kernel" dialog on a fresh machine)
    tracker = dirs["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"autoStartDefaultKernel": True}), encoding="utf-8")
    return env


class JupyterServer:
    """A running ``jupyter lab`` (use :func:`jupyter_lab`)."""

    def __init__(self, process: subprocess.Popen, url: str, token: str, root: Path, log: Path) -> None:
        self.process, self.url, self.token, self.root, self.log = process, url, token, root, log

    def lab_url(self, notebook: str) -> str:
        workspace = "t" + secrets.token_hex(4)
        return f"{self.url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"


@contextmanager
def jupyter_lab(root: Path, state: Path, *, timeout: float = 40.0) -> Iterator[JupyterServer]:
    """Start JupyterLab serving ``root`` with its state under ``state``; stop it on exit."""
    token = secrets.token_hex(16)
    port = free_port()
    log = state / "jupyter.log"
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, env=isolated_env(state), stdout=out, stderr=subprocess.STDOUT, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"jupyter lab did not answer within {timeout}s:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.25)
        yield JupyterServer(process, url, token, root, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def accept_kernel_dialog(page) -> None:
    """On a machine where JupyterLab has not settled on a kernel yet it asks which one to start
    ("Select Kernel"); answer with the preselected Python 3 kernel."""
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.get_by_role("button", name="Select").count():
        dialog.get_by_role("button", name="Select").click()
        dialog.wait_for(state="detached", timeout=10_000)


def wait_kernel_idle(page, timeout: float = 60_000) -> None:
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=timeout)
    accept_kernel_dialog(page)


def run_all_cells(page, *, attempts: int = 3, timeout: float = 15_000) -> None:
    """Run → Run All Cells, retried when the first cell never starts (the kernel can report
    idle a moment before it accepts work)."""
    first_prompt = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt").first
    for attempt in range(attempts):
        accept_kernel_dialog(page)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(
                "(el) => /\\[(\\d+|\\*)\\]/.test(el.textContent)", arg=first_prompt.element_handle(), timeout=timeout
            )
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; retry below
            if attempt == attempts - 1:
                raise


def cell_count(page) -> int:
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").count()


def markdown_cell_count(page) -> int:
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-MarkdownCell").count()
