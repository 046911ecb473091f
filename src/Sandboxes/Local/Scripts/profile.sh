# Remolt local sandbox: what the image's /etc/profile.d adds for login shells (tmux windows and panes), appended to
# the host's /etc/profile in the sandbox's own copy. npm globals and user tools under ~/.local/bin; the session's
# secrets from ~/.remolt/env (written over a command's stdin, never a command line); the agent's welcome text.
# The gh wrapper and the credential helper (lib/bin) go ahead of the host's gh.
case ":$PATH:" in *":/tmp/.remolt/lib/bin:"*) ;; *) PATH="/tmp/.remolt/lib/bin:$PATH" ;; esac
# The agent's installed tools (the shared tool folder, read-only), behind what the user installs into ~/.local.
case ":$PATH:" in *":/tmp/.remolt/tools/bin:"*) ;; *) PATH="/tmp/.remolt/tools/bin:$PATH" ;; esac
case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) PATH="$HOME/.local/bin:$PATH" ;; esac
export PATH
export NPM_CONFIG_PREFIX="$HOME/.local"
if [ -r "$HOME/.remolt/env" ]; then . "$HOME/.remolt/env"; fi
if [ -r /tmp/.remolt/lib/welcome.sh ]; then . /tmp/.remolt/lib/welcome.sh; fi
