#!/usr/bin/env bash
# Trains several teacher-and-student runs side by side on the one lent GPU, each a tools/gpu/train.sh with its own
# pack and seed. Why side by side: a MiniLM run keeps an H200 mostly idle (small kernels, the Python loop), so four
# runs cost little more device time than one, and one run's identity bias moves with the seed (docs/training-gpu.md):
# a change in the data is only worth believing if it holds over two seeds.
#
# Each run freezes the teacher's embeddings (FREEZE_ALL=1), so its 3-layer student comes back as one file of its own
# layers and head; the embeddings are the base copy's, rebuilt here (`make gpu-variant-artifacts`). Per run, $OUT/NAME
# gets student3.part0.pt and meta.tar (the limit is 8 files: four runs).
#
# VARIANTS: "NAME:PACK:SEED[:BOOST] ..." (PACK under $PACK_DIR, var/gpu unless told; BOOST: the written rows'
# sampling factor for that run, WRITTEN_BOOST or 6 unless given). DEADLINE: seconds after which unfinished trainings are
# stopped and whatever best checkpoint each has is shipped, marked in its log, so a slow run still returns something.
set -uo pipefail
OUT=${OUT:?set OUT}
VARIANTS=${VARIANTS:?set VARIANTS, e.g. "a:packA.jsonl.xz:13 b:packB.jsonl.xz:13"}
DEADLINE=${DEADLINE:-520}
THREADS=${THREADS:-4}
ROOT=${WORKROOT:-/tmp/civility-variants}
PACK_DIR=${PACK_DIR:-var/gpu}
start=$(date +%s)
pids=()
for spec in $VARIANTS; do
  IFS=: read -r name pack seed boost <<<"$spec"
  mkdir -p "$ROOT/$name" "$OUT/$name"
  : >"$ROOT/$name/run.log"  # appended to by the run and by the watchdog, so neither overwrites the other
  ( WORK="$ROOT/$name" OUT="$OUT/$name" PACK="$PACK_DIR/$pack" SEED="$seed" FREEZE_ALL=1 SHIP_TEACHER=0 \
      STUDENT_LAYERS=3 THREADS="$THREADS" WRITTEN_BOOST="${boost:-${WRITTEN_BOOST:-6}}" bash tools/gpu/train.sh \
      >>"$ROOT/$name/run.log" 2>&1 ) &
  pids+=($!)
done
# The watchdog writes only to the logs, so that its sleep holds no pipe of whoever ran this script.
( sleep "$DEADLINE"; echo "deadline: stopping unfinished trainings at $(( $(date +%s) - start )) s" >>"$ROOT/deadline.log"
  tee -a "$ROOT"/*/run.log <"$ROOT/deadline.log" >/dev/null
  pkill -f "civility.training.finetune .*--out-dir $ROOT/" ) >/dev/null 2>&1 &  # ours only, not another training
watchdog=$!
for pid in "${pids[@]}"; do wait "$pid"; done
pkill -P "$watchdog" 2>/dev/null; kill "$watchdog" 2>/dev/null
for spec in $VARIANTS; do
  name=${spec%%:*}
  echo "== $name ($(( $(date +%s) - start )) s)"; grep -E '"event": "(start|done)"|deadline|Error|error' "$ROOT/$name/run.log" | cut -c1-300
  ls -l "$OUT/$name"
done
