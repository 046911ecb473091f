# Remolt sandbox: the agent's welcome text (agent.json "welcome", env AGENT_WELCOME), shown once per sandbox in the
# first interactive terminal. Sourced by login shells from /etc/profile.d after remolt-secrets.sh, which loads the
# settings a warm sandbox receives when it is claimed.
case $- in
    *i*)
        if [ -n "${AGENT_WELCOME:-}" ] && [ ! -e "$HOME/.remolt/welcome-shown" ]; then
            mkdir -p "$HOME/.remolt" && : > "$HOME/.remolt/welcome-shown"
            printf '\n\033[1;38;2;122;162;247m%s\033[0m\n' "Welcome to your Remolt sandbox (~/workspace is yours)."
            printf '%s\n\n' "$AGENT_WELCOME"
        fi
        ;;
esac
