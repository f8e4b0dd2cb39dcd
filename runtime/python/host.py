"""The Python executor host of apflow for VS Code (docs/python-host.md).

One process per run serves every Python task of that run concurrently on one asyncio loop. It speaks
line-delimited JSON: requests on stdin, replies on the file descriptor that was stdout when it started.
File descriptor 1 itself is pointed at stderr, so that nothing a task or a C extension prints can
corrupt the protocol; `print`, `sys.stderr` and `logging` are routed to the task that wrote them
(a context variable per task, copied into the threads that run synchronous code).

Only the standard library; Python 3.10 or newer. `host.py --probe` prints what the interpreter offers
(Python and apflow versions, apflow's registered executor ids) and exits.
"""

import asyncio
import contextvars
import importlib
import importlib.util
import inspect
import io
import json
import logging
import os
import sys
import time
import traceback

PROTOCOL = 1
CURRENT = contextvars.ContextVar("apflow_task", default=None)
NOT_INSTALLED = "apflow is not installed in {python}"


class Channel:
    """Writes protocol messages; thread-safe because each message is one write of one line."""

    def __init__(self, fd):
        self.out = io.FileIO(fd, "w", closefd=False)

    def send(self, message):
        data = (json.dumps(message, default=_unjson, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
        self.out.write(data)


def _unjson(value):
    raise TypeError(f"{type(value).__name__} is not JSON data")


class TaskStream(io.TextIOBase):
    """sys.stdout / sys.stderr: text goes to the log of the task that wrote it, line by line."""

    def __init__(self, fallback):
        self.fallback = fallback

    def writable(self):
        return True

    def write(self, text):
        call = CURRENT.get()
        if call is None:
            self.fallback.write(text)
            self.fallback.flush()
        else:
            call.write(text)
        return len(text)

    def flush(self):
        call = CURRENT.get()
        if call is not None:
            call.flush()


class TaskLogHandler(logging.Handler):
    """logging records of a task go to its log; records outside any task go to the host's stderr."""

    def __init__(self, fallback):
        super().__init__()
        self.fallback = fallback
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record):
        try:
            text = self.format(record)
        except Exception:  # a record whose arguments do not format: say so rather than lose it
            text = f"{record.levelname} {record.name}: {record.msg!r}"
        call = CURRENT.get()
        if call is None:
            self.fallback.write(text + "\n")
            self.fallback.flush()
        else:
            call.log(text)


class TaskView:
    """What apflow's executors read from `self.task`: the record's fields as attributes."""

    def __init__(self, record):
        self.__dict__.update(record)

    def __repr__(self):
        return f"<task {self.__dict__.get('id')!r}>"


class Call:
    """One execute request: its task view, cancellation flag, buffered output and executor instance."""

    def __init__(self, host, request):
        self.host = host
        self.id = request["id"]
        self.request = request
        self.task = TaskView(request.get("task") or {})
        self.cancelled = False
        self.instance = None
        self.pending = ""
        self.future = None
        self.in_thread = False
        self.asked = {}
        self.next_request = 1
        self.repository = HookRepository(self) if request.get("kind") == "hook" else None

    def write(self, text):
        self.pending += text
        if "\n" in self.pending:
            lines, self.pending = self.pending.rsplit("\n", 1)
            self.log(lines)

    def flush(self):
        if self.pending:
            self.log(self.pending)
            self.pending = ""

    def log(self, text):
        self.host.channel.send({"op": "log", "id": self.id, "text": text})

    def progress(self, fraction):
        self.host.channel.send({"op": "progress", "id": self.id, "fraction": float(fraction)})

    def is_cancelled(self):
        return self.cancelled

    async def ask(self, method, args):
        """A repository call answered by the runtime, which holds the run's tasks."""
        if asyncio.get_running_loop() is not self.host.loop:
            # A synchronous hook's own loop (asyncio.run in its thread): the host's loop does the asking.
            return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(self.ask(method, args), self.host.loop))
        number = self.next_request
        self.next_request += 1
        future = asyncio.get_running_loop().create_future()
        self.asked[number] = future
        self.host.channel.send({"op": "repository", "id": self.id, "request": number, "method": method, "args": args})
        try:
            return await future
        finally:
            self.asked.pop(number, None)

    def answered(self, reply):
        future = self.asked.get(reply.get("request"))
        if future is None or future.done():
            return
        if "error" in reply:
            future.set_exception(RepositoryError(reply["error"]))
        else:
            future.set_result(reply.get("value"))


class RepositoryError(Exception):
    """What the runtime refused in a repository call (an unknown task, a field a hook may not change)."""


class HookRepository:
    """apflow's hook repository over the current run (docs/hooks.md): its coroutines, answered by the runtime.

    Returned tasks are copies with the record's fields as attributes. A change to the hook's own task
    shows in the task object the hook was given, as apflow's shared session shows it.
    """

    def __init__(self, call):
        self.call = call

    async def get_task_by_id(self, task_id):
        found = await self.call.ask("get_task_by_id", [task_id])
        return None if found is None else TaskView(found)

    async def get_tasks_by_status(self, status):
        return [TaskView(t) for t in await self.call.ask("get_tasks_by_status", [status])]

    async def update_task(self, task_id, **fields):
        found = await self.call.ask("update_task", [task_id, fields])
        if task_id == getattr(self.call.task, "id", None):
            for key in fields:
                setattr(self.call.task, key, found.get(key))
        return TaskView(found)


class Host:
    def __init__(self, channel):
        self.channel = channel
        self.calls = {}
        self.apflow = apflow_version()
        self.targets = {}
        self.loop = None

    async def serve(self):
        loop = self.loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader(limit=1 << 30)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        self.channel.send({"op": "ready", "protocol": PROTOCOL, "python": sys.version.split()[0], "executable": sys.executable, "apflow": self.apflow})
        while True:
            line = await reader.readline()
            if not line:
                break
            try:
                request = json.loads(line)
            except ValueError as error:
                sys.__stderr__.write(f"apflow host: unreadable request ({error})\n")
                continue
            op = request.get("op")
            if op == "execute":
                call = Call(self, request)
                self.calls[call.id] = call
                call.future = asyncio.ensure_future(self.execute(call))
            elif op == "repository":
                call = self.calls.get(request.get("id"))
                if call is not None:
                    call.answered(request)
            elif op == "cancel":
                call = self.calls.get(request.get("id"))
                if call is not None:
                    asyncio.ensure_future(self.cancel(call))
            elif op == "shutdown":
                break
        for call in list(self.calls.values()):
            call.future.cancel()

    async def execute(self, call):
        token = CURRENT.set(call)
        started = time.perf_counter()
        try:
            value = await self.run(call)
            call.flush()
            self.channel.send({"op": "result", "id": call.id, "value": value, "seconds": time.perf_counter() - started})
        except asyncio.CancelledError:
            call.flush()
            self.channel.send({"op": "failure", "id": call.id, "error": "cancelled", "cancelled": True})
        except UserError as error:
            call.flush()
            self.channel.send({"op": "failure", "id": call.id, "error": str(error)})
        except BaseException as error:  # noqa: B902 -- a task's exception (SystemExit included) fails that task only
            call.flush()
            self.channel.send({"op": "failure", "id": call.id, "error": describe(error), "traceback": traceback.format_exc()})
        finally:
            CURRENT.reset(token)
            self.calls.pop(call.id, None)

    async def run(self, call):
        request = call.request
        kind = request.get("kind", "executor")
        target = self.resolve(request["target"], request.get("cwd") or os.getcwd())
        if kind == "hook":
            return await self.run_hook(call, target)
        inputs = request.get("inputs") or {}
        params = {k: v for k, v in (request.get("params") or {}).items() if k != "executor_id"}
        pre, post = registered_hooks()
        if pre:
            call.task.inputs = inputs
            for hook in pre:
                await run_registered(call, "pre", hook, call.task)
            inputs = call.task.inputs
        if inspect.isclass(target) or isinstance(target, RegistryClass):
            context = {"task": call.task, "user_id": getattr(call.task, "user_id", None), "cancellation_checker": call.is_cancelled}
            call.instance = construct(target, inputs, params, context)
            execute = getattr(call.instance, "execute", None)
            if not callable(execute):
                raise UserError(f"{target.__name__} has no execute method")
            value = await invoke(call, execute, inputs)
        elif callable(target):
            value = await invoke(call, target, inputs)
        else:
            raise UserError(f"{request['target'].get('name') or request['target'].get('registry')} is neither a class nor a function")
        if post and not (isinstance(value, dict) and "error" in value):
            for hook in post:
                await run_registered(call, "post", hook, call.task, inputs, value)
        return value

    async def run_hook(self, call, target):
        """A hook: pre(task) may change task.inputs, post(task, inputs, result); tree hooks (root, …)."""
        args = call.request.get("args") or []
        share_with_apflow(call.repository)
        result = await invoke(call, target, call.task, *args)
        return {"inputs": getattr(call.task, "inputs", None), "returned": result if is_json(result) else None}

    async def cancel(self, call):
        call.cancelled = True
        cancel = getattr(call.instance, "cancel", None)
        if callable(cancel):
            token = CURRENT.set(call)
            try:
                returned = cancel()
                if inspect.isawaitable(returned):
                    await returned
            except Exception as error:  # the executor's cancel() failing must not keep the task running
                call.log(f"cancel() raised: {describe(error)}")
            finally:
                CURRENT.reset(token)
        # A coroutine stops at its next await. A thread cannot be stopped: the call goes on until it
        # returns, and the runtime ends the host if that takes longer than its grace period.
        if call.future is not None and not call.future.done() and not call.in_thread:
            call.future.cancel()

    def resolve(self, target, cwd):
        key = json.dumps(target, sort_keys=True)
        found = self.targets.get(key)
        if found is None:
            found = self.targets[key] = resolve_target(target, cwd, self.apflow)
        return found


class UserError(Exception):
    """A problem with the user's declaration or code, reported as the task's error without a traceback."""


def resolve_target(target, cwd, apflow):
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    if "registry" in target:
        if "file" in target or "module" in target:
            load_module(target, cwd)
        return registered_executor(target["registry"])
    module = load_module(target, cwd)
    name = target["name"]
    found = module
    for part in name.split("."):
        if not hasattr(found, part):
            where = target.get("file") or target.get("module")
            raise UserError(f"{where} has no {name}")
        found = getattr(found, part)
    return found


def load_module(target, cwd):
    try:
        if "file" in target:
            path = os.path.join(cwd, target["file"])
            if not os.path.isfile(path):
                raise UserError(f"{target['file']} does not exist (looked for {path})")
            name = "apflow_workspace_" + "".join(c if c.isalnum() else "_" for c in os.path.relpath(path, cwd))
            if name in sys.modules:
                return sys.modules[name]
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
            return module
        return importlib.import_module(target["module"])
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] == "apflow":
            raise UserError(NOT_INSTALLED.format(python=sys.executable)) from None
        where = target.get("file") or target.get("module")
        raise UserError(f"{where} failed to import: {error}") from None
    except UserError:
        raise
    except Exception as error:
        where = target.get("file") or target.get("module")
        raise UserError(f"{where} failed to import: {describe(error)}\n{traceback.format_exc()}") from None


SLOW_HOOK_SECONDS = 0.1


def registered_hooks():
    """Hooks the workspace's code registered with apflow (register_pre_hook / register_post_hook).

    Only once something imported apflow: a process without it has none, and importing it costs time.
    """
    if "apflow" not in sys.modules:
        return [], []
    try:
        from apflow.core.config import get_pre_hooks, get_post_hooks
    except ImportError:
        return [], []
    return get_pre_hooks(), get_post_hooks()


async def run_registered(call, kind, hook, *args):
    """One apflow-registered hook, as TaskManager runs it: sync in a thread, errors logged, never fatal."""
    name = getattr(hook, "__qualname__", repr(hook))
    started = time.perf_counter()
    try:
        await invoke(call, hook, *args)
    except Exception as error:  # a hook never fails the task
        call.log(f"apflow {kind} hook {name} failed (the task goes on): {describe(error)}")
    seconds = time.perf_counter() - started
    if seconds > SLOW_HOOK_SECONDS:
        call.log(f"warning slow-hook: apflow {kind} hook {name} took {seconds * 1000:.0f} ms; keep hooks under {SLOW_HOOK_SECONDS * 1000:.0f} ms")


def share_with_apflow(repository):
    """Makes apflow's own `get_hook_repository()` answer with this call's repository, when the hook's code uses apflow.

    apflow keeps it in a context variable; this call runs in its own asyncio task (and its threads copy
    the context), so the setting reaches this hook only.
    """
    if "apflow" not in sys.modules:
        return
    try:
        from apflow.core.storage.context import set_hook_context
    except ImportError:
        return
    set_hook_context(repository)


def get_hook_repository():
    """`apflow_vscode_host.get_hook_repository()`: the repository of the hook running now, or None outside a hook."""
    call = CURRENT.get()
    return None if call is None else call.repository


def registered_executor(executor_id):
    """An executor of apflow's registry, lazily loading apflow's built-ins as its TaskManager does."""
    try:
        from apflow.core.extensions.registry import get_registry
        from apflow.core.extensions.manager import load_extension_by_id
    except ImportError:
        raise UserError(NOT_INSTALLED.format(python=sys.executable)) from None
    registry = get_registry()
    if registry.get_by_id(executor_id) is None:
        load_extension_by_id(executor_id)
    extension = registry.get_by_id(executor_id)
    if extension is None:
        raise UserError(f"apflow in {sys.executable} has no executor '{executor_id}' (its imports may be missing: see the log)")

    def create(inputs, params, context):
        # Exactly TaskManager's call: the registry merges inputs and keyword arguments for the class.
        return registry.create_executor_instance(executor_id, inputs=inputs, **context, **params)

    return RegistryClass(create, executor_id)


class RegistryClass:
    """Stands for a registered class: construct() calls the registry's factory with apflow's arguments."""

    def __init__(self, create, executor_id):
        self.create = create
        self.__name__ = executor_id


def construct(cls, inputs, params, context):
    """apflow's registry: cls(**{**inputs, task, user_id, **params, cancellation_checker})."""
    if isinstance(cls, RegistryClass):
        return cls.create(inputs, params, context)
    arguments = {**inputs, "task": context["task"], "user_id": context["user_id"], **params, "cancellation_checker": context["cancellation_checker"]}
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        return cls(**arguments)
    if any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values()):
        return cls(**arguments)
    # A plain class takes only the arguments it names (apflow's BaseTask takes them all).
    accepted = {k: v for k, v in arguments.items() if k in signature.parameters}
    return cls(**accepted)


async def invoke(call, function, *args):
    """Awaits an async function; runs a sync one in a thread (with the task's context) so others go on."""
    if inspect.iscoroutinefunction(function):
        return await function(*args)
    call.in_thread = True
    try:
        returned = await asyncio.to_thread(function, *args)
    finally:
        call.in_thread = False
    if inspect.isawaitable(returned):
        returned = await returned
    return returned


def is_json(value):
    try:
        json.dumps(value, default=_unjson)
        return True
    except (TypeError, ValueError):
        return False


def describe(error):
    text = str(error)
    return text if text else type(error).__name__


def apflow_version():
    # find_spec first: importlib.metadata costs ~10 ms of the host's start, paid only when apflow is there.
    if importlib.util.find_spec("apflow") is None:
        return None
    from importlib.metadata import version, PackageNotFoundError

    try:
        return version("apflow")
    except PackageNotFoundError:
        return None


def probe():
    """--probe: versions and apflow's executor ids (lazy built-ins included, from apflow's own scan)."""
    found = {"protocol": PROTOCOL, "python": sys.version.split()[0], "executable": sys.executable, "apflow": apflow_version(), "executors": []}
    if found["apflow"] is not None:
        try:
            from apflow.core.extensions.registry import get_registry
            from apflow.core.extensions.scanner import ExtensionScanner

            registered = {e.id for e in get_registry().list_executors()} if hasattr(get_registry(), "list_executors") else set()
            found["executors"] = sorted(set(ExtensionScanner.get_all_executor_ids()) | registered)
        except Exception as error:  # an apflow whose layout we do not know: versions only
            found["error"] = describe(error)
    print(json.dumps(found))


def progress(fraction):
    """`import apflow_vscode_host; apflow_vscode_host.progress(0.5)`: the calling task's progress, 0…1."""
    call = CURRENT.get()
    if call is not None:
        call.progress(min(1.0, max(0.0, float(fraction))))


def main():
    if "--probe" in sys.argv:
        logging.disable(logging.CRITICAL)
        probe()
        return
    channel = Channel(os.dup(1))
    os.dup2(2, 1)  # anything written to fd 1 from now on (C code, subprocesses) lands on stderr
    stderr = sys.__stderr__
    sys.stdout = TaskStream(stderr)
    sys.stderr = TaskStream(stderr)
    root = logging.getLogger()
    root.addHandler(TaskLogHandler(stderr))
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    # Executors report progress through this module's progress() (docs/python-host.md).
    sys.modules["apflow_vscode_host"] = sys.modules[__name__]
    host = Host(channel)
    asyncio.run(host.serve())
    os._exit(0)  # threads of sync executors that never returned must not keep the process alive


if __name__ == "__main__":
    main()
