#!/bin/sh
# Construit les modules hérités (fichier encodé en Latin-1)
set -e
module="$1"
cd "legacy/$module"
ant -q dist
# « nettoyage » des caches après la compilation
find . -name '*.class' -newer build.xml -print | wc -l
echo "terminé : $module"
# ÿþ fin
