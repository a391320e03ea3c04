#!/usr/bin/env bash
# Fine-tunes the teacher (6 layers) and distils two students (3 and 2 layers) on the lent GPU machine, and leaves
# their weights in $OUT as fp16 parts of at most 15 MiB (what the machine lets come back). docs/training-gpu.md says
# how the inputs are made here and how the parts become artifacts again.
#
# Inputs, made here and carried (`carry: ["var/gpu"]`):
#   var/gpu/records.jsonl.xz   python -m civility.training.pack --out var/gpu/records.jsonl.xz
#   var/gpu/base/              python -m civility.training.transfer base var/gpu/base
# Dry run on the CPU, to check the script end to end (PACK: a pack of a few hundred rows): PACK=/tmp/tiny.jsonl.xz DEVICE=cpu EXAMPLES=256 STUDENT_EXAMPLES=128 OUT=/tmp/o bash tools/gpu/train.sh
set -euo pipefail
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
PY=${PY:-python3}
WORK=${WORK:-/tmp/civility-gpu}
OUT=${OUT:?set OUT to the folder the parts go to}
DEVICE=${DEVICE:-cuda}
EXAMPLES=${EXAMPLES:-156000}          # the teacher: about 2 epochs of the 77,820 training rows
STUDENT_EXAMPLES=${STUDENT_EXAMPLES:-390000}  # a student: about 5 epochs
# The written counter-examples (identity mentions, negation, counter-speech…) are sampled WRITTEN_BOOST× as often (3
# unless told), and a student learns them from their own labels, not from the teacher's view of them.
WRITTEN=(--boost "civility-written=${WRITTEN_BOOST:-3}" --human-only civility-written)
STUDENT_LAYERS=${STUDENT_LAYERS:-3 2}
SEED=${SEED:-13}                       # the sampling order and initial draws (finetune's default)
# FREEZE_ALL=1: the teacher keeps the base embeddings too, so its students' parts leave them out and each student
# comes back in one 11 MiB file (tools/gpu/variants.sh trains several at once). SHIP_TEACHER=0 keeps the teacher there.
FREEZE_ALL=${FREEZE_ALL:-0}
SHIP_TEACHER=${SHIP_TEACHER:-1}
THREADS=${THREADS:-8}
TEACHER_FREEZE=$([ "$FREEZE_ALL" = 1 ] && echo --freeze-embeddings || true)
BF16=$([ "$DEVICE" = cuda ] && echo --bf16 || true)
PACK=${PACK:-var/gpu/records.jsonl.xz}
BASE=${BASE:-var/gpu/base}
common=(--records-file "$PACK" --base-model "$BASE" --device "$DEVICE" $BF16
        --max-length 256 --batch-size 128 --lr 8e-5 --seed "$SEED" --dev-limit 0 --threads "$THREADS" --no-resume --checkpoint-every 1000000)
mkdir -p "$WORK/parts" "$OUT"

# At most 8 files come back: the weight parts, and one tar of the rest (meta files, logs, configs). Shipped after
# each model, so a run stopped at its time limit still returns what it finished.
ship() {
  mv "$WORK"/parts/*.pt "$OUT"/
  tar -C "$WORK" -cf "$OUT/meta.tar" parts $(cd "$WORK" && ls -d */train_log.jsonl */config.json *.log 2>/dev/null)
}

[ "$DEVICE" = cuda ] && nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
"$PY" -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)'

"$PY" -m civility.training.finetune "${common[@]}" --out-dir "$WORK/teacher" --examples "$EXAMPLES" --eval-every 150 "${WRITTEN[@]}" $TEACHER_FREEZE \
  | grep -v '"event": "train"' || true
test -f "$WORK/teacher/best.pt"
if [ "$SHIP_TEACHER" = 1 ]; then
  "$PY" -m civility.training.transfer split "$WORK/teacher/best.pt" --out-dir "$WORK/parts" --prefix teacher
  ship
fi

for n in $STUDENT_LAYERS; do
  "$PY" -m civility.training.finetune "${common[@]}" --out-dir "$WORK/student$n" --layers "$n" \
    --teacher "$WORK/teacher/best.pt" --freeze-embeddings --examples "$STUDENT_EXAMPLES" --eval-every 300 "${WRITTEN[@]}" \
    | grep -v '"event": "train"' || true
  test -f "$WORK/student$n/best.pt"
  "$PY" -m civility.training.transfer split "$WORK/student$n/best.pt" --out-dir "$WORK/parts" --prefix "student$n" \
    --reference "$WORK/teacher/best.pt"
  ship
done
ls -l "$OUT"
