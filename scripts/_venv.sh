# Shared by ./scripts/console and ./scripts/test (sourced, not run): make sure .venv exists and holds
# Relais with the wanted extras, installing only when pyproject.toml changed since the last install.
# Usage: ensure_venv ""        → pip install -e .
#        ensure_venv "[test]"  → pip install -e ".[test]"

ensure_venv() {
    local extras="$1" python="" candidate
    if [ ! -x .venv/bin/python ]; then
        for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python; do
            [ -n "$candidate" ] || continue
            if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
                python="$candidate"
                break
            fi
        done
        if [ -z "$python" ]; then
            echo "Relais a besoin de Python 3.11 ou plus récent : installez-le (python.org) puis relancez." >&2
            exit 1
        fi
        echo "Création de l'environnement Python (.venv)…" >&2
        "$python" -m venv .venv
    fi
    local stamp=".venv/.relais-installed${extras}"
    local wanted
    wanted="$(cat pyproject.toml)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
        echo "Installation de Relais et de ses dépendances${extras:+ (${extras})} : environ une minute de" \
             "téléchargements la première fois, la progression s'affiche ci-dessous…" >&2
        .venv/bin/python -m pip install --progress-bar on --disable-pip-version-check -e ".${extras}" >&2
        printf '%s' "$wanted" > "$stamp"
    fi
}
