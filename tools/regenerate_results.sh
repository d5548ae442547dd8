#!/usr/bin/env bash
# Rewrite the committed example outputs (results/README.md lists each folder's command).
# Every folder is replaced with --force; run from the repository's root, then review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
burden=(burden -q)  # the installed command, as a planner runs it
"${burden[@]}" compare instances/nato-2035.yaml --out results/nato-2035 --force
for scenario in hague capability no-joint bonds-open spain-2.1 no-partners us-counts; do
    "${burden[@]}" compare instances/hague-2035.yaml --scenario "$scenario" \
        --out "results/hague-2035/$scenario" --force
done
"${burden[@]}" members instances/hague-2035.yaml --out results/hague-2035/members-chosen --force
"${burden[@]}" sweep instances/hague-2035.yaml --coalition europe_canada \
    --param spending_floor_pct_gdp.2035 --values 2.0:3.5:0.25 \
    --set countries.DEU.floor_pct_gdp=null --out results/hague-2035/sweep-floor-2035 --force
"${burden[@]}" shapley instances/hague-2035.yaml --coalition weimar_plus \
    --out results/hague-2035/shapley-weimar-plus --force
"${burden[@]}" shapley instances/hague-2035.yaml --scenario bonds-open --coalition weimar_plus \
    --out results/hague-2035/shapley-weimar-plus-bonds-open --force
