"""`/accompagnement`: log an accompaniment (CRA) in seconds, list, stats, export, and one's own data (RGPD).

Thin on purpose: parsing, rules and counts live in `bot.accompagnements`; this module turns them into replies.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.accompagnements import enums, form, inline, profile, service
from bot.accompagnements.chart import stats_and_chart
from bot.accompagnements.export import csv_bytes
from bot.accompagnements.models import Accompaniment
from bot.accompagnements.periods import Period, parse_period
from bot.accompagnements.places import PlaceLookup
from bot.accompagnements.stats import format_text
from bot.accompagnements.validation import ValidationError, format_duration, validate
from bot.accompagnements.workbook import ExportInfo, xlsx_bytes
from bot.config import Settings
from bot.core.context import Context
from bot.core.errors import InvalidFields, UserFacingError
from bot.core.registry import Command
from bot.core.replies import Button, Card, Field, FileUpload, Reply
from bot.core.text import count_of, fold, neutralize_mentions, truncate
from bot.db.engine import database_for

command = Command(
    "accompagnement", "Saisir un accompagnement (CRA) en quelques secondes, voir ses chiffres",
    hint="[45min individuel email domicile note: …]",
)
TEAM_WORDS = {"equipe", "reseau", "team"}
FORMATS = {"xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
           "csv": ("csv", "text/csv")}
GREEN, RED = "#18753c", "#ce0500"


def _today(ctx: Context) -> date:
    return ctx.app.now().astimezone(ctx.app.settings.tz).date()


def _json_values(values: dict[str, Any]) -> dict[str, Any]:
    """Values that travel in a signed button/dialog payload (dates as ISO text)."""
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items() if not k.startswith("_")}


# -- logging ------------------------------------------------------------------------------------
@command.default(help="sans texte : ouvre le formulaire ; avec texte : saisie rapide, par exemple "
                      "`/accompagnement 45min individuel smartphone email domicile commune:Le Port note: …`")
async def log_accompaniment(ctx: Context) -> Reply:
    text = ctx.args.strip()
    if not text:
        return _dialog_from_last(ctx, None)
    tz_deps = inline.TIMEZONE_DEPARTEMENTS.get(ctx.app.settings.timezone, ())
    parsed = inline.parse(text, _today(ctx), prefer_departements=tz_deps)
    if parsed.problems:
        return Reply.private("Rien n’est enregistré : " + " ".join(parsed.problems),
                             cards=[Card(buttons=[Button("Compléter dans le formulaire", "form",
                                                         {"values": _json_values(parsed.values)})])])
    only_type = set(parsed.values) == {"type"} and not parsed.questions and not parsed.unknown
    if only_type:
        return _dialog_from_last(ctx, parsed.values["type"])
    if parsed.unknown:
        words = ", ".join(f"« {neutralize_mentions(w)} »" for w in parsed.unknown)
        return Reply.private(
            f"Je n’ai pas compris {words} : rien n’est enregistré.\n"
            "Écrivez par exemple `/accompagnement 45min individuel email domicile commune:Le Port note: …` "
            "(durée, type, thématiques, lieu dans n’importe quel ordre ; la note à la fin, après `note:`).",
            cards=[Card(buttons=[Button("Compléter dans le formulaire", "form",
                                        {"values": _json_values(parsed.values)})])],
        )
    return await _continue(ctx, parsed.values, parsed.questions, corrected=parsed.corrected, read_as=parsed.read_as)


def _dialog_from_last(ctx: Context, kind: str | None) -> Reply:
    """The dialog pre-filled with the last entry's choices (its type too, unless the counsellor named one)."""
    with ctx.app.db.session() as s:
        last = service.last_choices(s, ctx.user_id)
    kind = kind or last.get("type") or "individuel"
    return Reply(dialog=form.build(kind, last, _today(ctx), state={"carry": {}}, remembered=True))


async def _continue(ctx: Context, values: dict[str, Any], pending: list[inline.Question], *,
                    corrected: dict[str, str] | None = None, update: bool = False,
                    read_as: list[str] | None = None) -> Reply:
    """Ask the next missing or ambiguous item, or validate and save."""
    with ctx.app.db.session() as s:
        communes = service.likely_communes(s, ctx.user_id, inline.TIMEZONE_DEPARTEMENTS.get(
            ctx.app.settings.timezone, ()))
        themes = service.recent_themes(s, ctx.user_id)
    asked = {q.field for q in pending}
    questions = pending + [q for q in inline.missing_questions(values, communes, themes) if q.field not in asked]
    if values.get("orientation_query") and not questions:
        questions = [_place_question(ctx, values.pop("orientation_query"))]
    if questions:
        return _ask(questions[0], values, questions[1:], update=update)
    try:
        data = validate(values, today=_today(ctx))
    except ValidationError as exc:
        return Reply.private(
            "Rien n’a été enregistré :\n" + "\n".join(  # said once: a reason may already end with it
                f"- {m.replace(' Rien n’a été enregistré.', '')}" for m in exc.errors.values()),
            cards=[Card(buttons=[Button("Corriger dans le formulaire", "form", {"values": _json_values(values)})])],
            update=update,
        )
    with ctx.app.db.session() as s:
        row = service.create(s, ctx.user_id, ctx.user_name, data, ctx.app.now())
        reply = _saved_reply(row, "Accompagnement enregistré", corrected, read_as)
    reply.update = update
    return reply


def _place_question(ctx: Context, query: str) -> inline.Question:
    """The place the person was sent to, picked among /annuaire's answers (never chosen for the counsellor)."""
    from bot.directory.search import directory_service

    answer = directory_service(ctx.app.db).index().search(query, now=ctx.app.now(), limit=5)
    options: list[tuple[str, Any]] = [
        (truncate(f"{r.place.nom} ({r.place.commune})", 60),
         {"source": r.place.source, "id": r.place.local_id, "name": r.place.nom}) for r in answer.results
    ]
    options.append(("Aucun : continuer sans lieu", None))
    shown = neutralize_mentions(query)
    prompt = (f"Vers quel lieu de l’annuaire avez-vous orienté la personne ? (recherche « {shown} »)"
              if answer.results else f"Aucun lieu de l’annuaire ne correspond à « {shown} ».")
    return inline.Question("orientation_place", prompt, options)


def _ask(q: inline.Question, values: dict[str, Any], rest: list[inline.Question], *, update: bool) -> Reply:
    payload = {"values": _json_values(values), "rest": [r.payload() for r in rest], "field": q.field}
    buttons = [Button(str(label), "answer", {**payload, "answer": value}) for label, value in q.options[:8]]
    buttons.append(Button("Compléter dans le formulaire", "form", {"values": _json_values(values)}))
    return Reply.private("", cards=[Card(title="Une précision avant d’enregistrer", text=q.prompt, buttons=buttons)],
                         update=update)


@command.action("answer")
async def on_answer(ctx: Context, data: dict[str, Any]) -> Reply:
    values = inline.apply_answer(data.get("values") or {}, str(data.get("field")), data.get("answer"))
    rest = [inline.Question.from_payload(q) for q in data.get("rest") or []]
    return await _continue(ctx, values, rest, update=True)


@command.action("form")
async def on_form(ctx: Context, data: dict[str, Any]) -> Reply:
    values = dict(data.get("values") or {})
    kind = str(values["type"]) if values.get("type") in enums.TYPES else "individuel"
    return Reply(dialog=form.build(kind, values, _today(ctx), state={"carry": form.carried(values)}))


@command.dialog(form.CALLBACK)
async def on_dialog(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    kind = str(state["type"]) if state.get("type") in enums.TYPES else "individuel"
    values, errors = form.submission_values(kind, submission, remembered_commune=state.get("remembered_commune"))
    edit_id = state.get("id")
    with ctx.app.db.session() as s:
        row = service.get_own(s, ctx.user_id, edit_id) if edit_id is not None else None
        if edit_id is not None and row is None:
            raise UserFacingError("Cet accompagnement n’existe plus (supprimé ?) : rien n’a été modifié.")
        carried = form.carried(form.row_values(row)) if row is not None else dict(state.get("carry") or {})
        try:
            data = validate({**carried, **values}, today=_today(ctx))
        except ValidationError as exc:
            errors = {**{form.ERROR_ELEMENT.get(k, k): v for k, v in exc.errors.items()}, **errors}
        if errors:
            known = _dialog_names(kind)
            general = [m for k, m in errors.items() if k not in known]
            raise InvalidFields({k: m for k, m in errors.items() if k in known}, general=" ".join(general) or None)
        if row is not None:
            service.update(s, row, data, ctx.app.now())
            reply = _saved_reply(row, "Accompagnement modifié")
        else:
            row = service.create(s, ctx.user_id, ctx.user_name, data, ctx.app.now())
            reply = _saved_reply(row, "Accompagnement enregistré")
        row_id = row.id
    query = str(submission.get("orientation_query") or "").strip()
    if query and kind == "individuel":
        # Saved first (nothing is lost if the counsellor never picks); the place is one click away.
        question = _place_question(ctx, query)
        reply.cards.append(Card(title="Lieu d’orientation", text=question.prompt, buttons=[
            Button(str(label), "lieu", {"id": row_id, "place": value}) for label, value in question.options[:6]]))
    return reply


@command.action("lieu")
async def on_place(ctx: Context, data: dict[str, Any]) -> Reply:
    """The directory place picked after the dialog: stored like the quick form's `vers:` choice."""
    place = data.get("place")
    with ctx.app.db.session() as s:
        row = service.get_own(s, ctx.user_id, data.get("id"))
        if row is None:
            return Reply.private("Cet accompagnement n’existe plus (déjà supprimé ?).")
        if place is None:
            return Reply.private("D’accord : aucun lieu de l’annuaire n’est associé à cet accompagnement.")
        try:
            data_ = validate({**form.row_values(row), "orientation_place": place}, today=_today(ctx))
        except ValidationError as exc:
            return Reply.private("Rien n’a été modifié : " + " ".join(exc.errors.values()))
        service.update(s, row, data_, ctx.app.now())
        return _saved_reply(row, "Lieu d’orientation ajouté")


def _dialog_names(kind: str) -> set[str]:
    return {el.name for el in form.build(kind, {}, date.today()).elements}


def _summary_fields(row: Accompaniment) -> list[Field]:
    fields = [
        Field("Date", f"{row.date:%d/%m/%Y}"),
        Field("Durée", format_duration(row.duration_min)),
        Field("Lieu", enums.LIEUX[row.lieu_type] + (f" ({row.lieu_commune})" if row.lieu_commune else "")),
        Field("Thématiques", ", ".join(enums.THEMATIQUES[t] for t in row.thematiques), short=False),
    ]
    if row.precisions_demarche:
        fields.append(Field("Démarche", row.precisions_demarche, short=False))
    if row.materiel:
        fields.append(Field("Matériel", ", ".join(enums.MATERIEL[m] for m in row.materiel)))
    if row.type == "collectif":
        fields.append(Field("Participants", str(row.participants_total)))
        if row.titre_atelier:
            fields.append(Field("Atelier", row.titre_atelier))
    elif row.autonomie:
        fields.append(Field("Autonomie", enums.AUTONOMIE[row.autonomie]))
    if row.structure_redirection or row.orientation_place_name:
        where = enums.STRUCTURES_REDIRECTION.get(row.structure_redirection or "", "")
        place = row.orientation_place_name or ""
        fields.append(Field("Orientée vers", " — ".join(p for p in (where, place) if p), short=False))
    if row.notes:
        fields.append(Field("Note", truncate(neutralize_mentions(row.notes), 300), short=False))
    return fields


def _saved_reply(row: Accompaniment, title: str, corrected: dict[str, str] | None = None,
                 read_as: list[str] | None = None) -> Reply:
    text = ""
    if corrected:
        text = "J’ai compris : " + ", ".join(f"« {neutralize_mentions(k)} » = {v}" for k, v in corrected.items())
    if read_as:
        text = "\n".join(t for t in (text, "Lu comme : " + " ; ".join(read_as) + " (« Modifier » sinon).") if t)
    card = Card(title=f"{title} : {enums.TYPES[row.type].lower()}", fields=_summary_fields(row), color=GREEN,
                buttons=[Button("Modifier", "edit", {"id": row.id}),
                         Button("Annuler", "delete", {"id": row.id, "undo": True}, style="danger")])
    return Reply.private(text, cards=[card])


@command.action("edit")
async def on_edit(ctx: Context, data: dict[str, Any]) -> Reply:
    with ctx.app.db.session() as s:
        row = service.get_own(s, ctx.user_id, data.get("id"))
        if row is None:
            return Reply.private("Cet accompagnement n’existe plus (déjà supprimé ?).")
        values = form.row_values(row)
    return Reply(dialog=form.build(values["type"], values, _today(ctx), state={"id": row.id},
                                   title="Modifier la saisie"))


@command.action("delete")
async def on_delete(ctx: Context, data: dict[str, Any]) -> Reply:
    if not data.get("undo") and not data.get("confirmed"):
        return Reply.private("", update=True, cards=[Card(
            title="Supprimer cet accompagnement ?", text="La suppression est définitive.", color=RED,
            buttons=[Button("Oui, supprimer", "delete", {"id": data.get("id"), "confirmed": True}, style="danger"),
                     Button("Non, garder", "list", {})])])
    with ctx.app.db.session() as s:
        done = service.delete_own(s, ctx.user_id, data.get("id"))
    if not done:
        return Reply.private("Cet accompagnement n’existe plus : rien à supprimer.", update=True)
    text = "Saisie annulée : rien n’est conservé." if data.get("undo") else "Accompagnement supprimé."
    return Reply.private(text, update=True)


# -- list -----------------------------------------------------------------------------------------
@command.sub("liste", "vos dix dernières saisies, à modifier ou supprimer", aliases=("list", "dernieres"))
async def list_recent(ctx: Context) -> Reply:
    return _list_reply(ctx)


@command.action("list")
async def on_list(ctx: Context, data: dict[str, Any]) -> Reply:
    reply = _list_reply(ctx)
    reply.update = True
    return reply


def _list_reply(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        rows = service.recent(s, ctx.user_id, 10)
        cards = [Card(
            title=f"{r.date:%d/%m/%Y} · {enums.TYPES[r.type]} · {format_duration(r.duration_min)}",
            text=", ".join(enums.THEMATIQUES[t] for t in r.thematiques) + f" — {enums.LIEUX[r.lieu_type]}",
            buttons=[Button("Modifier", "edit", {"id": r.id}), Button("Supprimer", "delete", {"id": r.id},
                                                                       style="danger")],
        ) for r in rows]
    if not cards:
        return Reply.private("Vous n’avez encore rien saisi. Essayez `/accompagnement 45min individuel email`.")
    return Reply.private(f"Vos {len(cards)} dernières saisies :", cards=cards)


# -- stats and export -------------------------------------------------------------------------
def _split_team(args: str) -> tuple[bool, str]:
    word, _, rest = args.strip().partition(" ")
    if fold(word) in TEAM_WORDS:
        return True, rest.strip()
    return False, args.strip()


def _period(ctx: Context, text: str) -> Period:
    return parse_period(text, _today(ctx))


@command.sub("stats", "vos chiffres (texte et graphique) ; `stats equipe` pour le réseau (coordinateurs)",
             hint="[equipe] [mois | mois dernier | semaine | année | 2026-10 | du … au …]",
             aliases=("statistiques", "chiffres"))
async def stats(ctx: Context) -> Reply:
    team, rest = _split_team(ctx.args)
    if team and not await ctx.is_coordinator():
        return Reply.private("Les chiffres de l’équipe sont réservés aux coordinateurs. "
                             "Vos propres chiffres : `/accompagnement stats`.")
    period = _period(ctx, rest)  # a `PeriodError` is said by the registry
    title = f"{'Réseau' if team else 'Vos accompagnements'} — {period.label}"
    # Counting a year and drawing it (Matplotlib, 0.7–1 s) would hold the GIL: a worker process does both.
    st, png = await ctx.app.run_cpu(stats_and_chart, ctx.app.db.url, period.start, period.end,
                                    None if team else ctx.user_id, title)
    reply = Reply.private(format_text(st, title, team=team))
    if png is not None:
        name = f"stats-{'equipe' if team else 'moi'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.png"
        reply.files.append(FileUpload(name, png, "image/png"))
    return reply


@command.sub("export", "tableur (.xlsx) ou CSV au format de La Coop ; `export equipe` pour le réseau "
                       "(coordinateurs)", hint="[equipe] [période] [xlsx | csv]")
async def export(ctx: Context) -> Reply:
    team, rest = _split_team(ctx.args)
    words = rest.split()
    fmt = next((w for w in (fold(w) for w in words) if w in FORMATS), None)
    rest = " ".join(w for w in words if fold(w) not in FORMATS)
    if team and not await ctx.is_coordinator():
        return Reply.private("L’export de l’équipe est réservé aux coordinateurs. "
                             "Le vôtre : `/accompagnement export`.")
    period = _period(ctx, rest)  # a `PeriodError` is said by the registry
    if fmt is not None:
        return await _export_reply(ctx, team, rest, fmt)
    data = {"team": team, "period": rest}
    return Reply.private("", cards=[Card(
        title=f"Exporter {period.label}" + (" (réseau)" if team else ""),
        text="Le tableur garde les dates, les durées et les codes postaux tels quels ; le CSV a les mêmes colonnes.",
        buttons=[Button("Tableur (.xlsx)", "export_file", {**data, "format": "xlsx"}),
                 Button("CSV", "export_file", {**data, "format": "csv"})])])


@command.action("export_file")
async def on_export_file(ctx: Context, data: dict[str, Any]) -> Reply:
    team = bool(data.get("team"))
    if team and not await ctx.is_coordinator():
        return Reply.private("L’export de l’équipe est réservé aux coordinateurs.")
    fmt = data.get("format") if data.get("format") in FORMATS else "xlsx"
    return await _export_reply(ctx, team, str(data.get("period") or ""), str(fmt))


async def _export_reply(ctx: Context, team: bool, period_text: str, fmt: str) -> Reply:
    period = _period(ctx, period_text)  # a `PeriodError` is said by the registry
    # A year of rows written to CSV or a workbook is seconds of pure Python: a worker process, not this one's GIL.
    content, n, role_missing = await ctx.app.run_cpu(_export_file, ctx.app.db.url, ctx.app.settings, ctx.user_id,
                                                     ctx.user_name, ctx.app.now(), team, period, fmt)
    if n == 0:
        return Reply.private(f"Aucun accompagnement sur {period.label} : pas de fichier.")
    ext, mime = FORMATS[fmt]
    name = f"accompagnements-{'equipe' if team else 'moi'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"
    text = f"Export {period.label} : {count_of(n, 'ligne')}, au format de La Coop de la médiation numérique."
    if role_missing:
        text += ("\nLa colonne « Rôle » reste vide pour qui n’a pas indiqué son rôle : "
                 "`/accompagnement profil` (conseiller numérique ou médiateur numérique)." if team else
                 "\nVotre rôle n’est pas indiqué (il figure en tête du tableur) : `/accompagnement profil`.")
    return Reply.private(text, files=[FileUpload(name, content, mime)])


def _export_file(database_url: str, settings: Settings, user_id: str, user_name: str, now: datetime, team: bool,
                 period: Period, fmt: str) -> tuple[bytes, int, bool]:
    """The file (in a worker process): rows, profiles for the role columns, the directory for addresses."""
    tz = settings.tz
    with database_for(database_url).session() as s:
        rows = service.in_period(s, period.start, period.end, None if team else user_id)
        profiles = profile.all_profiles(s) if team else {}
        places = PlaceLookup(s, inline.TIMEZONE_DEPARTEMENTS.get(settings.timezone, ())).find
        if fmt == "csv":
            content, n = csv_bytes(rows, tz, self_export=not team, places=places, profiles=profiles)
        else:
            mine = profile.get(s, user_id)
            info = ExportInfo(user_name, "Coordinateur" if team else mine.coop_role, period.label, now)
            total = service.count_accompaniments(s, period.start, period.end, None if team else user_id)
            content, n = xlsx_bytes(rows, tz, info, total=total, self_export=not team, places=places,
                                    profiles=profiles)
        users = service.users_in_period(s, period.start, period.end) if team else {user_id}
        known = profile.all_profiles(s)
    return content, n, any(not (known.get(u) or profile.Profile()).role for u in users)


# -- reporting profile ------------------------------------------------------------------------------
@command.sub("profil", "votre rôle (conseiller numérique ou médiateur numérique) et votre identifiant Conum, "
                       "pour les exports", hint="[conseiller | mediateur] [conum 12345]", aliases=("role",))
async def set_profile(ctx: Context) -> Reply:
    words = ctx.args.split()
    with ctx.app.db.session() as s:
        current = profile.get(s, ctx.user_id)
        role, conum = current.role, current.conum
        for i, word in enumerate(words):
            if fold(word) in ("conum", "id", "id-conum") and i + 1 < len(words):
                if not profile.CONUM_ID.match(words[i + 1]):
                    return Reply.private(f"« {neutralize_mentions(words[i + 1])} » n’est pas un identifiant Conum "
                                         "(chiffres et lettres, sans espace).")
                conum = words[i + 1]
            elif (found := profile.parse_role(word)) and not (i and fold(words[i - 1]) in ("conum", "id")):
                role = found
        if (role, conum) != (current.role, current.conum):
            profile.save(s, ctx.user_id, profile.Profile(role, conum))
    return _profile_reply(profile.Profile(role, conum), changed=bool(words))


def _profile_reply(p: profile.Profile, *, changed: bool, update: bool = False) -> Reply:
    text = (f"{'Enregistré. ' if changed else ''}Rôle : **{p.label}**"
            f" ; identifiant Conum : **{p.conum or 'non renseigné'}**.\n"
            "Ils remplissent les colonnes « Rôle » et « ID - Conum » des exports, comme sur La Coop. "
            "Identifiant : `/accompagnement profil conum 12345`.")
    return Reply.private(text, update=update, cards=[Card(buttons=[
        Button(label, "profile_role", {"role": code}, style="primary" if code == p.role else "default")
        for code, label in profile.ROLES.items()])])


@command.action("profile_role")
async def on_profile_role(ctx: Context, data: dict[str, Any]) -> Reply:
    role = data.get("role") if data.get("role") in profile.ROLES else None
    with ctx.app.db.session() as s:
        current = profile.get(s, ctx.user_id)
        updated = profile.Profile(role, current.conum)
        profile.save(s, ctx.user_id, updated)
    return _profile_reply(updated, changed=True, update=True)


# -- my data (RGPD) -------------------------------------------------------------------------------
@command.sub("mes-donnees", "voir, exporter ou supprimer tout ce que vous avez saisi",
             hint="[exporter | supprimer]", aliases=("mesdonnees", "donnees", "mes-données", "rgpd"))
async def my_data(ctx: Context) -> Reply:
    word = fold(ctx.args.strip())
    if word in ("exporter", "export"):
        return _export_all(ctx)
    if word in ("supprimer", "effacer", "tout supprimer"):
        return _confirm_delete_all(ctx)
    with ctx.app.db.session() as s:
        n = service.count_own(s, ctx.user_id)
    if n == 0:
        return Reply.private("Relais ne garde aucun accompagnement saisi par vous.")
    days = ctx.app.settings.retention_days
    return Reply.private(
        f"Relais garde **{count_of(n, 'accompagnement')}** {'saisis' if n > 1 else 'saisi'} par vous "
        "(anonymes : aucune donnée sur les personnes). "
        f"Ils sont effacés automatiquement après {days} jours.",
        cards=[Card(buttons=[Button("Voir les dernières", "list", {}), Button("Tout exporter", "export_all", {}),
                             Button("Tout supprimer", "delete_all", {}, style="danger")])],
    )


def _export_all(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        content, n = csv_bytes(service.in_period(s, date(2000, 1, 1), date(9999, 12, 31), ctx.user_id),
                               ctx.app.settings.tz, self_export=True)
    if n == 0:
        return Reply.private("Relais ne garde aucun accompagnement saisi par vous.")
    return Reply.private(f"Toutes vos saisies : {count_of(n, 'ligne')}.",
                         files=[FileUpload("mes-donnees-accompagnements.csv", content, "text/csv")])


def _confirm_delete_all(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        n = service.count_own(s, ctx.user_id)
    if n == 0:
        return Reply.private("Relais ne garde aucun accompagnement saisi par vous : rien à supprimer.")
    return Reply.private("", cards=[Card(
        title=f"Supprimer définitivement {'votre accompagnement' if n == 1 else f'vos {n} accompagnements'} ?",
        text="Vos statistiques et exports repartiront de zéro. Pensez à exporter avant si besoin.", color=RED,
        buttons=[Button("Oui, tout supprimer", "delete_all_confirmed", {"count": n}, style="danger"),
                 Button("Non, garder", "delete_all_cancel", {})])])


@command.action("export_all")
async def on_export_all(ctx: Context, data: dict[str, Any]) -> Reply:
    return _export_all(ctx)


@command.action("delete_all")
async def on_delete_all(ctx: Context, data: dict[str, Any]) -> Reply:
    reply = _confirm_delete_all(ctx)
    reply.update = True
    return reply


@command.action("delete_all_confirmed")
async def on_delete_all_confirmed(ctx: Context, data: dict[str, Any]) -> Reply:
    with ctx.app.db.session() as s:
        n = service.delete_all_own(s, ctx.user_id)
    return Reply.private(f"C’est fait : {count_of(n, 'accompagnement supprimé')} "
                         "définitivement.", update=True)


@command.action("delete_all_cancel")
async def on_delete_all_cancel(ctx: Context, data: dict[str, Any]) -> Reply:
    return Reply.private("Suppression annulée : vos saisies sont conservées.", update=True)

