"""`/annuaire`: find where to refer a person, from what a hurried counsellor types.

Thin: parse → `bot.directory` (plain functions) → cards. Answers are private; "Partager" posts one card
in the channel for colleagues.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from bot.core.context import App, Context, PlatformError
from bot.core.cron import add_cron_jobs
from bot.core.errors import UserFacingError
from bot.core.registry import Command
from bot.core.replies import Button, Card, Dialog, DialogElement, Field, Reply
from bot.core.text import at_place, neutralize_mentions, truncate
from bot.directory.edit import details_lines, form_defaults, report_place, save_form, set_open, unknown_place
from bot.directory.hours import today_text
from bot.directory.positions import is_approximate
from bot.directory.present import PlaceSummary, distance_text, sms_text, summarise
from bot.directory.refresh import DONE, refresh_due
from bot.directory.schema import Place
from bot.directory.search import DirectoryAnswer, DirectoryIndex, directory_service
from bot.directory.store import close_report, find_place, get_place, open_reports
from bot.directory.territory import get_territory, set_territory, should_prompt
from bot.search import STOPWORDS, tokenize

log = logging.getLogger(__name__)

command = Command("annuaire", "Trouver un lieu où orienter une personne", hint="[besoin commune | ajouter | aide]")

PAGE = 5
SHORT_SERVICES = {
    "Aide aux démarches administratives": "démarches administratives",
    "Maîtrise des outils numériques du quotidien": "outils du quotidien",
    "Insertion professionnelle via le numérique": "emploi",
    "Utilisation sécurisée du numérique": "sécurité numérique",
    "Parentalité et éducation avec le numérique": "parentalité",
    "Loisirs et créations numériques": "loisirs",
    "Compréhension du monde numérique": "culture numérique",
    "Accès internet et matériel informatique": "accès internet",
    "Acquisition de matériel informatique à prix solidaire": "matériel solidaire",
}
EXAMPLES = ("Exemples : `/annuaire caf grenoble`, `/annuaire impots 38000 ouvert`, "
            "`/annuaire france services st trivier`, `/annuaire seniors annecy gratuit`.")


def _index(app: App) -> DirectoryIndex:
    return directory_service(app.db).index()


def _safe(text: str) -> str:
    return neutralize_mentions(text)


def place_card(place: Place, now: datetime, distance_km: float | None = None, *, buttons: bool = True,
               wanted: tuple[str, ...] = (), summary: PlaceSummary | None = None,
               asked_day: date | None = None, approximate: bool = False) -> Card:
    """The compact card: name, address and distance, phone, open now / today's hours, main services
    (the ones the counsellor asked for first). `summary`: the place's, when the search index has it."""
    summary = summary or summarise(place)
    where = distance_text(distance_km, place, approximate=approximate) if distance_km is not None else \
        ("position approximative" if is_approximate(place) else "")
    lines = [_safe(summary.address) + (f" ({where})" if where else "")]
    if summary.phone:
        lines.append(f"☎ {summary.phone}")
    lines.append(today_text(place.horaires, summary.timezone, now, asked_day))
    ordered = sorted(place.services, key=lambda s: s not in wanted) if wanted else place.services
    services = [SHORT_SERVICES.get(s, s) for s in ordered[:3]]
    if services:
        lines.append("Services : " + ", ".join(services))
    card = Card(title=_safe(place.nom), text="\n".join(lines), footer=f"n° {place.ref}",
                title_link=place_links(place)[0])
    if buttons:
        card.buttons = [Button("Fiche", "fiche", {"ref": place.ref}),
                        Button("Partager", "partager", {"ref": place.ref})]
    return card


def answer_reply(answer: DirectoryAnswer, text: str, now: datetime, offset: int, *, prompt: bool = False,
                 insee: str | None = None) -> Reply:
    shown = answer.page(PAGE)
    understood = answer.understood.describe()
    head: list[str] = []
    if answer.note:
        head.append(answer.note)
    if answer.relaxed:
        head.append(f"Rien avec : {', '.join(answer.relaxed)}. J’ai élargi la recherche.")
    if answer.unknown_words:
        head.append(f"Je n’ai pas reconnu : {', '.join(answer.unknown_words)}.")
    if not shown:
        if offset:
            return Reply.private("Il n’y a pas d’autre lieu pour cette recherche.")
        msg = [f"Aucun lieu trouvé pour « {_safe(truncate(text, 80))} »."]
        if understood:
            msg.append(f"J’ai compris : {understood}.")
        if answer.understood.location is None:
            msg.append("Ajoutez une commune, un code postal ou un numéro de département pour chercher autour.")
        msg.append(EXAMPLES)
        return Reply.private("\n".join(msg))
    where = f" pour : {understood}" if understood else ""
    first, last = offset + 1, offset + len(shown)
    head.insert(0, f"**Lieux {first} à {last}**{where}")
    wanted = tuple(v for f in answer.understood.filters if f.field == "services" for v in f.values)
    cards = [place_card(r.place, now, r.distance_km, wanted=wanted, summary=r.summary, asked_day=answer.asked_day,
                        approximate=r.approximate) for r in shown]
    if len(answer.results) > answer.consumed(PAGE):
        more: dict[str, Any] = {"q": text, "offset": offset + answer.consumed(PAGE)}
        if insee:
            more["insee"] = insee
        cards.append(Card(text="", buttons=[Button("Voir plus", "plus", more)]))
    loc = answer.understood.location
    if loc is not None and loc.alternatives and not offset:
        # Homonyms ("Saint-Denis (93)" or "(974)"?): one click searches the other one.
        cards.append(Card(text="Vous pensiez à une autre commune ?", buttons=[
            Button(label, "ici", {"q": text, "insee": code})
            for label, code in zip(loc.others, loc.alternatives, strict=False)]))
    if prompt:
        head.append("Astuce : dites-moi une fois où vous travaillez (`/annuaire ma-commune Vif`) et je chercherai "
                    "autour quand vous ne donnez pas de commune.")
    return Reply.private("\n".join(head), cards=cards)


def search_reply(app: App, text: str, offset: int = 0, *, user_id: str = "", insee: str | None = None) -> Reply:
    now = app.now()
    index = _index(app)
    prompt = False
    territory = None
    if user_id:
        with app.db.session() as s:
            commune = get_territory(s, user_id)
        if commune is not None:
            territory = index.territory(commune.insee)
    # One extra result tells whether "Voir plus" has anything to show.
    answer = index.search(text, now=now, limit=PAGE + 1, offset=offset, territory=territory, prefer_insee=insee)
    if user_id and territory is None and answer.understood.location is None and not offset:
        with app.db.session() as s:
            prompt = should_prompt(s, user_id, now)
    return answer_reply(answer, text, now, offset, prompt=prompt, insee=insee)


MAX_QUERY = 300


@command.default(help="cherche un lieu : besoin, nom, commune ou code postal, filtres (ouvert, gratuit, rdv, seniors…)")
async def search(ctx: Context) -> Reply:
    text = ctx.args.strip()
    if not text:
        return Reply.private("Que cherchez-vous, et où ? " + EXAMPLES + "\nTapez `/annuaire aide` pour tout voir.")
    if len(text) > MAX_QUERY:  # a search is a few words: a pasted page would hold the search engine for seconds
        return Reply.private(f"Votre recherche fait {len(text)} caractères : gardez les mots utiles (au plus "
                             f"{MAX_QUERY}), le besoin et la commune. " + EXAMPLES)
    return search_reply(ctx.app, text, user_id=ctx.user_id)


@command.action("plus")
async def more(ctx: Context, data: dict[str, Any]) -> Reply:
    insee = data.get("insee")
    return search_reply(ctx.app, str(data.get("q", "")), int(data.get("offset", PAGE)), user_id=ctx.user_id,
                        insee=str(insee) if insee else None)


@command.action("ici")
async def homonym(ctx: Context, data: dict[str, Any]) -> Reply:
    """A homonym button: the same search around the commune picked."""
    insee = data.get("insee")
    return search_reply(ctx.app, str(data.get("q", "")), user_id=ctx.user_id, insee=str(insee) if insee else None)


@command.sub("ma-commune", "indique la commune où vous travaillez : je chercherai autour", hint="<commune>")
async def my_commune(ctx: Context) -> Reply:
    text = ctx.args.strip()
    if not text:
        with ctx.app.db.session() as s:
            current = get_territory(s, ctx.user_id)
        if current is None:
            return Reply.private("Indiquez votre commune, par exemple : `/annuaire ma-commune Vif` "
                                 "(ou un code postal : `/annuaire ma-commune 38450`).")
        return Reply.private(f"Votre commune : {current.label}. Pour la changer : `/annuaire ma-commune <commune>`.")
    gazetteer = _index(ctx.app).gazetteer
    found = gazetteer.registry.locate(text)
    if found is None:
        # "saint pierre 974", "st trivier de courtes": a commune read from the whole text (every word of it).
        words = {i for i, w in enumerate(tokenize(text)) if w not in STOPWORDS}
        whole = [c.location for c in gazetteer.candidates(text) if c.location.insee and words <= c.span]
        found = gazetteer.registry.by_insee.get(whole[0].insee) if whole and whole[0].insee else None
    if found is None:
        return Reply.private(f"Je ne connais pas la commune « {_safe(truncate(text, 60))} ». Écrivez son nom "
                             "(« Saint-Pierre 974 ») ou son code postal (« 97410 »).")
    with ctx.app.db.session() as s:
        set_territory(s, ctx.user_id, found, ctx.app.now())
    return Reply.private(f"C’est noté : vous travaillez {at_place(found.label)}. Une recherche sans commune cherchera "
                         "autour, et les homonymes pencheront de ce côté.")


def _load(app: App, ref: Any) -> Place | None:
    try:
        number = int(ref)
    except (TypeError, ValueError):
        return None
    with app.db.session() as s:
        return get_place(s, number)


def place_links(place: Place) -> tuple[str | None, list[Field]]:
    """What counsellors open next: the website (the card's title link), the map position, the accessibility page."""
    site = next((s for s in place.site_web if s.startswith(("https://", "http://"))), None)
    links: list[Field] = []
    if place.latitude is not None and place.longitude is not None:
        lat, lon = f"{place.latitude:.5f}", f"{place.longitude:.5f}"
        links.append(Field("Plan", f"[Voir sur la carte](https://www.openstreetmap.org/?mlat={lat}&mlon={lon}"
                                   f"#map=18/{lat}/{lon})"))
    if place.fiche_acces_libre and place.fiche_acces_libre.startswith(("https://", "http://")):
        links.append(Field("Accessibilité", f"[Fiche Acceslibre]({place.fiche_acces_libre})"))
    return site, links


@command.action("fiche")
async def details(ctx: Context, data: dict[str, Any]) -> Reply:
    place = _load(ctx.app, data.get("ref"))
    if place is None:
        return Reply.private("Ce lieu n’est plus dans l’annuaire.")
    site, links = place_links(place)
    card = Card(title=_safe(place.nom), text=today_text(place.horaires, place.timezone, ctx.app.now()),
                title_link=site,
                fields=[Field(k, _safe(v), short=len(v) < 40) for k, v in details_lines(place)
                        if k != "Accessibilité"] + links,
                footer=f"n° {place.ref} · signaler une erreur : /annuaire signaler {place.ref} votre message",
                buttons=[Button("Partager", "partager", {"ref": place.ref})])
    sms = "Version SMS (à copier) :\n```\n" + sms_text(place) + "\n```"
    return Reply.private(sms, cards=[card])


@command.action("partager")
async def share(ctx: Context, data: dict[str, Any]) -> Reply:
    place = _load(ctx.app, data.get("ref"))
    if place is None:
        return Reply.private("Ce lieu n’est plus dans l’annuaire.")
    card = place_card(place, ctx.app.now(), buttons=False)
    card.buttons = [Button("Fiche", "fiche", {"ref": place.ref}, anyone=True)]  # on a channel post
    try:
        await ctx.app.platform.create_post(ctx.channel_id, f"Un lieu partagé par {ctx.user_name} :", cards=[card],
                                           command=command.trigger)
    except PlatformError as exc:
        log.warning("share failed: %s", exc)
        return Reply.private("Je n’ai pas pu publier dans ce canal. Réessayez dans un instant.")
    return Reply.private(f"« {_safe(place.nom)} » est partagé dans le canal.")


# -- coordinators: add / modify ---------------------------------------------------------------
def place_dialog(place: Place | None) -> Dialog:
    d = form_defaults(place)
    return Dialog(
        callback="lieu", title="Modifier un lieu" if place else "Ajouter un lieu", submit_label="Enregistrer",
        introduction="Chaque modification garde votre nom et la date.",
        state={"ref": place.ref} if place else {},
        elements=[
            DialogElement("nom", "Nom du lieu", default=d.get("nom"), max_length=200),
            DialogElement("adresse", "Adresse", default=d.get("adresse"), placeholder="12 rue de la Mairie"),
            DialogElement("code_postal", "Code postal", default=d.get("code_postal"), min_length=5, max_length=5),
            DialogElement("commune", "Commune", default=d.get("commune")),
            DialogElement("telephone", "Téléphone", default=d.get("telephone"), subtype="tel", optional=True),
            DialogElement("horaires", "Horaires", default=d.get("horaires"), optional=True,
                          placeholder="lun-ven 9h-12h 14h-17h, fermé le mercredi",
                          help="Comme vous les écrivez : « mardi et jeudi 14h-18h », « sur rendez-vous le samedi "
                               "matin ». Relais vous les relit avant de les garder."),
            DialogElement("services", "Services", "textarea", default=d.get("services"), optional=True,
                          help="Séparés par des virgules : démarches administratives, outils numériques du "
                               "quotidien, emploi et insertion, accès internet et ordinateurs…"),
            DialogElement("publics", "Publics accueillis", default=d.get("publics"), optional=True,
                          placeholder="seniors, jeunes, personnes sourdes",
                          help="Laisser vide pour tout public. Séparés par des virgules."),
            DialogElement("courriels", "Courriel", default=d.get("courriels"), subtype="email", optional=True),
            DialogElement("site_web", "Site internet", default=d.get("site_web"), subtype="url", optional=True),
            DialogElement("presentation_resume", "Présentation courte", "textarea",
                          default=d.get("presentation_resume"), optional=True, max_length=280),
        ],
    )


@command.sub("ajouter", "ajoute un lieu à l'annuaire (coordinateurs)", coordinators_only=True)
async def add(ctx: Context) -> Reply:
    return Reply(dialog=place_dialog(None))


@command.sub("modifier", "corrige la fiche d'un lieu (coordinateurs)", hint="<n°>", coordinators_only=True)
async def modify(ctx: Context) -> Reply:
    ref = ctx.args.strip()
    if not ref:
        return Reply.private("Indiquez le numéro du lieu, par exemple `/annuaire modifier 42` "
                             "(il figure en bas de chaque fiche).")
    with ctx.app.db.session() as s:  # "42", "n°42", "#42" or "source:identifiant", as /annuaire signaler
        place = find_place(s, ref)
    if place is None:
        return Reply.private(unknown_place(ref))
    return Reply(dialog=place_dialog(place))


@command.sub("fermer", "retire un lieu fermé des recherches, sans l’effacer (coordinateurs)", hint="<n°>",
             coordinators_only=True)
async def close_place(ctx: Context) -> Reply:
    return _set_open(ctx, closed=True)


@command.sub("rouvrir", "remet un lieu fermé dans les recherches (coordinateurs)", hint="<n°>",
             coordinators_only=True)
async def reopen_place(ctx: Context) -> Reply:
    return _set_open(ctx, closed=False)


def _set_open(ctx: Context, *, closed: bool) -> Reply:
    ref = ctx.args.strip()
    if not ref:
        verb = "fermer" if closed else "rouvrir"
        return Reply.private(f"Indiquez le numéro du lieu, par exemple `/annuaire {verb} 42`.")
    changed, text = set_open(ctx.app.db, ref, closed=closed, by=f"@{ctx.user_name}")
    if changed:
        directory_service(ctx.app.db).invalidate()
    return Reply.private(_safe(text))


@command.dialog("lieu")
async def submit_place(ctx: Context, submission: dict[str, Any], state: dict[str, Any]) -> Reply:
    if not await ctx.is_coordinator():
        raise UserFacingError("Seuls les coordinateurs peuvent modifier l’annuaire.")
    app = ctx.app
    service = directory_service(app.db)
    ref = state.get("ref")
    result = save_form(app.db, submission, ref=int(ref) if ref is not None else None, by=f"@{ctx.user_name}",
                       today=app.now().date())
    place = result.place
    if ref is not None and not result.changed:
        return Reply.private(f"Rien n’a changé sur « {_safe(place.nom)} » (n° {place.ref}) : la fiche est "
                             "gardée telle quelle.")
    service.invalidate()
    what = "ajouté" if ref is None else "modifié (" + ", ".join(result.changed) + ")"
    lines = [f"Lieu {what} : « {_safe(place.nom)} » (n° {place.ref})."]
    if "horaires" in result.changed or (ref is None and place.horaires):
        lines.append(f"Horaires compris : **{result.hours_read}** (enregistrés `{place.horaires}`). "
                     "Si ce n’est pas ça, corrigez-les.")
    card = place_card(place, app.now(), buttons=False)
    card.buttons = [Button("Corriger", "corriger", {"ref": place.ref})]
    return Reply.private("\n".join(lines), cards=[card])


@command.action("corriger")
async def correct(ctx: Context, data: dict[str, Any]) -> Reply:
    if not await ctx.is_coordinator():
        return Reply.private("Seuls les coordinateurs peuvent modifier l’annuaire.")
    place = _load(ctx.app, data.get("ref"))
    if place is None:
        return Reply.private("Ce lieu n’est plus dans l’annuaire.")
    return Reply(dialog=place_dialog(place))


# -- counsellors: report outdated information ---------------------------------------------------
async def _coordinators_channel(app: App) -> Any:
    names = [app.settings.channel_coordinateurs, "coordinateurs", "coordination", app.settings.channel_annonces]
    for name in filter(None, names):
        try:
            channel = await app.platform.channel_by_name(name, app.settings.team or None)
        except PlatformError:
            continue
        if channel is not None:
            return channel
    return None


@command.sub("signaler", "signale une information périmée aux coordinateurs", hint="<n°> <message>")
async def report(ctx: Context) -> Reply:
    ref, _, message = ctx.args.strip().partition(" ")
    if not ref:
        return Reply.private("Indiquez le numéro du lieu puis le problème, par exemple : "
                             "`/annuaire signaler 42 le numéro de téléphone a changé`.")
    place, number = report_place(ctx.app.db, ref, message, reporter_id=ctx.user_id, reporter_name=ctx.user_name)
    channel = await _coordinators_channel(ctx.app)
    if channel is not None:
        text = (f"Signalement n° {number} sur « {_safe(place.nom)} » (n° {place.ref}), par {ctx.user_name} :\n"
                f"> {_safe(truncate(message.strip(), 500))}\n"
                f"Pour corriger : `/annuaire modifier {place.ref}`")
        try:
            await ctx.app.platform.create_post(channel.id, text, command=command.trigger)
        except PlatformError as exc:
            log.warning("report notification failed: %s", exc)
    return Reply.private(f"Merci ! Votre signalement sur « {_safe(place.nom)} » est transmis aux coordinateurs "
                         f"(n° {number}).")


REPORTS_SHOWN = 15


@command.sub("signalements", "les signalements en attente, à traiter (coordinateurs)", coordinators_only=True)
async def reports(ctx: Context) -> Reply:
    with ctx.app.db.session() as s:
        rows = open_reports(s)
        cards = []
        for r in rows[:REPORTS_SHOWN]:
            place = get_place(s, r.place_ref) if r.place_ref is not None else None
            name = _safe(place.nom) if place is not None else "lieu retiré de l’annuaire"
            fix = f" · corriger : `/annuaire modifier {r.place_ref}`" if place is not None else ""
            cards.append(Card(title=f"n° {r.id} · {name}", text=f"> {_safe(truncate(r.message, 500))}",
                              footer=f"par {r.reporter_name}{fix}",
                              buttons=[Button("Traité", "traite", {"id": r.id}, style="success")]))
    if not rows:
        return Reply.private("Aucun signalement en attente : l’annuaire est à jour d’après le réseau.")
    more = f" (les {REPORTS_SHOWN} plus anciens ci-dessous)" if len(rows) > REPORTS_SHOWN else ""
    return Reply.private(f"**{len(rows)} signalement{'s' if len(rows) > 1 else ''} en attente**{more}", cards=cards)


@command.action("traite")
async def report_handled(ctx: Context, data: dict[str, Any]) -> Reply:
    if not await ctx.is_coordinator():
        return Reply.private("Seuls les coordinateurs peuvent clore un signalement.")
    try:
        report_id = int(data.get("id"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return Reply.private("Ce signalement n’existe pas.")
    with ctx.app.db.session() as s:
        done = close_report(s, report_id, by=ctx.user_name, now=ctx.app.now())
    if done is None:
        return Reply.private(f"Le signalement n° {report_id} est déjà traité (ou n’existe plus).")
    return Reply.private(f"Signalement n° {report_id} marqué traité. Merci !")


# -- scheduled refresh of the national sources ([[directory.sources]], called once by `relais serve`) -----------
async def refresh_job(app: App) -> None:
    """Import the sources that are due; the database decides which process does it (the others do nothing)."""
    from bot.entraide.runs import new_worker_id

    worker = app.cache.setdefault("outbox_worker_id", new_worker_id())
    try:
        outcomes = await app.run(refresh_due, app.settings, app.db, worker, app.now())
    except Exception:
        log.exception("directory refresh failed; it runs again at the next scheduled time")
        return
    if any(o.status == DONE for o in outcomes):
        directory_service(app.db).invalidate()


def schedule(app: App, scheduler: Any) -> None:
    """One cron job per source in the network's time zone, and a catch-up now for a run missed while stopped."""
    add_cron_jobs(scheduler, refresh_job, app, [(s.cron, f"annuaire {s.name}") for s in app.settings.directory_sources],
                  tz=app.settings.tz, grace_seconds=app.settings.digest_grace_minutes * 60 or None,
                  prefix="annuaire-refresh")
