#!/usr/bin/env python3
"""Carries out the Dockerfile that `sluice export container` writes, without a Docker engine (none can run here,
and no image registry can be reached): each stage's filesystem is a folder, its instructions are done as Docker
would do them. Used by scripts/prove-static.sh; only the instructions that Dockerfile uses are understood, and
any other makes it fail rather than be skipped.

  dockerfile-run.py packages DOCKERFILE
      prints the packages the last stage's `apt-get install` names (its root is made with them).
  dockerfile-run.py build DOCKERFILE CONTEXT BUILD_ROOT FINAL_ROOT
      the build stage in BUILD_ROOT (a folder standing for its /: COPY from CONTEXT, each RUN in its WORKDIR;
      `apt-get` lines are checked, not run: this machine's packages must hold what they install), then the last
      stage in FINAL_ROOT (a Debian root: RUN inside it with chroot, COPY --from=build out of BUILD_ROOT), and
      prints what the image runs as JSON: user, workdir, entrypoint, cmd, healthcheck.
"""

import fnmatch
import json
import os
import shlex
import shutil
import subprocess
import sys


def instructions(path):
    """(stage name, keyword, argument text) for every instruction, continuation lines joined."""
    lines, current = [], ""
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.rstrip("\n")
            if not current and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                current += line[:-1] + " "
                continue
            lines.append(current + line)
            current = ""
    stage, result = None, []
    for line in lines:
        keyword, _, rest = line.strip().partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = rest.split()
            stage = words[2] if len(words) == 3 and words[1].upper() == "AS" else "final"
        result.append((stage, keyword, rest.strip()))
    return result


def commands(run):
    """A RUN line's commands joined by &&."""
    return [part.strip() for part in run.split("&&")]


def installed_packages(run):
    packages = []
    for command in commands(run):
        words = shlex.split(command)
        if words[:2] == ["apt-get", "install"]:
            packages += [word for word in words[2:] if not word.startswith("-")]
    return packages


def ignored(context):
    """The context's paths that .dockerignore (beside the Dockerfile) leaves out."""
    patterns = []
    ignore = os.path.join(context, ".dockerignore")
    if os.path.exists(ignore):
        with open(ignore, encoding="utf-8") as handle:
            patterns = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    return lambda relative: any(
        fnmatch.fnmatch(relative, pattern) or relative.startswith(pattern.rstrip("/") + "/") for pattern in patterns)


def copy(source, target, skip, relative):
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
        for name in sorted(os.listdir(source)):
            inner = os.path.join(relative, name) if relative else name
            if not skip(inner):
                copy(os.path.join(source, name), os.path.join(target, name), skip, inner)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy2(source, target)


def inside(root, path, workdir):
    absolute = path if path.startswith("/") else os.path.join(workdir, path)
    return os.path.join(root, absolute.lstrip("/"))


def fail(message):
    print(f"dockerfile-run: {message}", file=sys.stderr)
    sys.exit(1)


def build_stage(steps, context, root):
    skip, workdir = ignored(context), "/"
    for keyword, argument in steps:
        if keyword == "WORKDIR":
            workdir = argument
            os.makedirs(inside(root, workdir, "/"), exist_ok=True)
        elif keyword == "COPY":
            *sources, target = shlex.split(argument)
            for source in sources:
                relative = os.path.normpath(source)
                if skip(relative):
                    fail(f"COPY {source}: .dockerignore leaves it out of the context")
                destination = inside(root, target, workdir)
                if target.endswith("/") and not os.path.isdir(os.path.join(context, relative)):
                    destination = os.path.join(destination, os.path.basename(relative))
                copy(os.path.join(context, relative), destination, skip, relative)
        elif keyword == "RUN":
            for command in commands(argument):
                if command.startswith("apt-get install"):
                    for package in installed_packages(command):
                        if subprocess.run(["dpkg", "-s", package], capture_output=True).returncode != 0:
                            fail(f"the build stage installs {package}, which this machine lacks")
                elif command.startswith(("apt-get", "rm -rf /var/lib/apt/lists")):
                    continue
                else:
                    print(f"== build stage: {command}", flush=True)
                    subprocess.run(["bash", "-euc", command], cwd=inside(root, workdir, "/"), check=True)
        elif keyword not in ("FROM",):
            fail(f"the build stage's {keyword} is not understood")


def final_stage(steps, build_root, root):
    image = {"user": "0", "workdir": "/", "entrypoint": [], "cmd": [], "healthcheck": []}
    for keyword, argument in steps:
        if keyword == "RUN":
            for command in commands(argument):
                if command.startswith(("apt-get", "rm -rf /var/lib/apt/lists")):
                    continue
                print(f"== final stage: {command}", flush=True)
                subprocess.run(["chroot", root, "/bin/sh", "-euc", command], check=True)
        elif keyword == "COPY":
            words = shlex.split(argument)
            if words[0] != "--from=build" or len(words) != 3:
                fail(f"COPY {argument}: only COPY --from=build SOURCE TARGET is understood here")
            target = os.path.join(root, words[2].lstrip("/"))
            shutil.copy2(os.path.join(build_root, words[1].lstrip("/")), target)
        elif keyword == "USER":
            image["user"] = argument
        elif keyword == "WORKDIR":
            image["workdir"] = argument
        elif keyword in ("ENTRYPOINT", "CMD"):
            image[keyword.lower()] = json.loads(argument)
        elif keyword == "HEALTHCHECK":
            image["healthcheck"] = json.loads(argument[argument.index("CMD") + 3:].strip())
        elif keyword not in ("FROM", "EXPOSE"):
            fail(f"the final stage's {keyword} is not understood")
    return image


def main():
    mode, dockerfile = sys.argv[1], sys.argv[2]
    stages = {}
    for stage, keyword, argument in instructions(dockerfile):
        stages.setdefault(stage, []).append((keyword, argument))
    if mode == "packages":
        print(" ".join(p for keyword, argument in stages["final"] if keyword == "RUN" for p in installed_packages(argument)))
        return
    context, build_root, final_root = sys.argv[3:6]
    build_stage(stages["build"], context, build_root)
    print(json.dumps(final_stage(stages["final"], build_root, final_root)))


main()
