#!/usr/bin/env bash
# How far can all-MiniLM-L6-v2 go on OLID alone? Fine-tunes the 6-layer encoder on OLID's training rows only (no other
# set, no written rows), at four learning rates and two seeds side by side on the lent GPU, keeps each run's best
# checkpoint by its dev rows, and ships the one run whose best checkpoint has the highest dev TOXICITY ROC-AUC (the
# rule was fixed before the sweep ran). OLID's test rows never travel: `python -m civility.training.olid_ceiling score`
# reads them here. docs/training-gpu.md, "OLID alone", has the result.
#
# Inputs (carry: ["var/gpu"]):
#   var/gpu/olid.jsonl.xz   python -m civility.training.olid_ceiling pack var/gpu/records.jsonl.xz var/gpu/olid.jsonl.xz
#   var/gpu/base/           python -m civility.training.transfer base var/gpu/base
set -uo pipefail
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
PY=${PY:-python3}
OUT=${OUT:?set OUT}
DEVICE=${DEVICE:-cuda}
ROOT=${WORKROOT:-/tmp/civility-olid}
PACK=${PACK:-var/gpu/olid.jsonl.xz}
BASE=${BASE:-var/gpu/base}
EXAMPLES=${EXAMPLES:-48000}   # about 4 epochs of OLID's 11,944 training rows
LRS=${LRS:-2e-5 3e-5 5e-5 8e-5}
SEEDS=${SEEDS:-13 29}
BF16=$([ "$DEVICE" = cuda ] && echo --bf16 || true)
mkdir -p "$ROOT" "$OUT"
pids=()
for lr in $LRS; do
  for seed in $SEEDS; do
    name="lr${lr}-s${seed}"
    "$PY" -m civility.training.finetune --records-file "$PACK" --base-model "$BASE" --device "$DEVICE" $BF16 \
      --out-dir "$ROOT/$name" --examples "$EXAMPLES" --lr "$lr" --seed "$seed" --batch-size 32 --max-length 128 \
      --eval-every 75 --dev-limit 0 --threads 2 --no-resume --checkpoint-every 1000000 \
      >"$ROOT/$name.log" 2>&1 &
    pids+=($!)
  done
done
for pid in "${pids[@]}"; do wait "$pid"; done
chosen=$("$PY" -m civility.training.olid_ceiling choose "$ROOT")
echo "chosen: $chosen"
"$PY" -m civility.training.transfer split "$ROOT/$chosen/best.pt" --out-dir "$OUT" --prefix olid
tar -C "$ROOT" -cf "$OUT/meta.tar" $(cd "$ROOT" && ls *.log */train_log.jsonl */config.json)
ls -l "$OUT"
