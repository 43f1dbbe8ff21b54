"""``scan2insole profiles``: list the shipped correction profiles; ``profiles show NAME`` one."""

from __future__ import annotations

import json

import click

from scan2insole.cli import main, parse_overrides, rejecting_bad_input, set_option


@main.group(invoke_without_command=True)
@click.pass_context
@rejecting_bad_input
def profiles(ctx: click.Context) -> None:
    """List the shipped correction profiles (name and what each is for)."""
    if ctx.invoked_subcommand is not None:
        return
    from scan2insole.profile import list_profiles, load_profile

    names = list_profiles()
    width = max(map(len, names))
    for name in names:
        click.echo(f"{name:<{width}}  {load_profile(name).description}")


@profiles.command()
@click.argument("name")
@set_option
@click.option("--json", "as_json", is_flag=True, help="Print the resolved values as JSON.")
@rejecting_bad_input
def show(name: str, overrides: tuple[str, ...], as_json: bool) -> None:
    """Print NAME's resolved values (after `extends` and --set) with units and meanings.

    NAME is a shipped profile or a path to a TOML file.
    """
    from scan2insole.profile import describe_fields, load_profile

    profile = load_profile(name, overrides=parse_overrides(overrides))
    rows = describe_fields(profile)
    if as_json:
        out = {
            "name": profile.name,
            "description": profile.description,
            "values": {
                key: {"value": value, "unit": unit, "allowed": allowed, "meaning": doc}
                for key, value, unit, allowed, doc in rows
            },
        }
        click.echo(json.dumps(out, indent=2))
        return
    click.echo(f"{profile.name}: {profile.description}")
    section = None
    for key, value, unit, allowed, doc in rows:
        head, _, leaf = key.partition(".")
        if head != section:
            section = head
            click.echo(f"[{section}]")
        shown = str(value).lower() if isinstance(value, bool) else f"{value}"
        click.echo(f"  {leaf:<18} = {shown + (' ' + unit if unit else ''):<14} [{allowed}]  {doc}")
