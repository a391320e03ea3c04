# Civility — the two commands that matter on a fresh machine: `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What `make serve` and `make test` install is pinned by constraints.txt (`make constraints` rewrites it from .venv).
CONSTRAINTS := constraints.txt
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8080
DATA ?= ../shared/data

.PHONY: install serve test train train-transformer train-minilm6 eval bench clean docs loadtest cascade

# Two stamps: the runtime install (`make serve`) and the development one (`make test` and the targets below). The dev
# install holds the runtime one, so it renews both stamps: `make serve` after `make test` installs nothing, and
# `make test` after `make serve` adds only the dev extra.
$(RUNTIME_STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e .
	touch $(RUNTIME_STAMP)

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e '.[dev]'
	touch $(STAMP) $(RUNTIME_STAMP)

install: $(STAMP)

# Rewrites constraints.txt from what .venv holds now (the dev install, and any extra installed by hand), less Civility
# itself; after changing a dependency in pyproject.toml: `make install constraints`, then review and commit the diff.
.PHONY: constraints
constraints: $(STAMP)
	{ echo "# Pins for \`make serve\` and \`make test\` (pip install -c $(CONSTRAINTS)); rewritten by \`make constraints\`."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -iv '^civility[ =@]'; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)

serve: $(RUNTIME_STAMP)
	$(BIN)/civility db upgrade
	CIVILITY_HOST=$(HOST) CIVILITY_PORT=$(PORT) $(BIN)/civility serve

# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser download is never used).
test: install
	test -x /usr/bin/chromium || { $$([ "$$(id -u)" = 0 ] || echo sudo) apt-get update && $$([ "$$(id -u)" = 0 ] || echo sudo) apt-get install -y chromium; }
	$(BIN)/python -m pytest -q

# Rebuilds civility/text/unmask.tsv, the words a masked word ("st*pid") is read against (normaliser rule set 3), from
# the English training splits only (civility.training.unmask_lexicon; about 30 s).
.PHONY: unmask-lexicon
unmask-lexicon: install
	$(BIN)/python -m civility.training.unmask_lexicon --data-dir $(DATA)

# Rebuilds models/linear-{en,de,tr,ar,ru}-1 from $(DATA) (official test splits are never used for training).
LANGUAGES ?= de tr ar ru
train: install
	$(BIN)/civility train linear --data-dir $(DATA)
	for lang in $(LANGUAGES); do $(BIN)/civility train linear --language $$lang --data-dir $(DATA) || exit 1; done

# `make train-minilm6` rebuilds models/minilm-en-$(MINILM_VERSION) (those models' cards call it by its earlier name,
# `make train-transformer`): fine-tunes MiniLM-L6 on 2 CPU cores (~15 min at ~55 examples/s; resumes
# from checkpoints), exports ONNX int8 + calibration, then evaluates on the held-out splits and writes the model card.
# Earlier versions stay committed (a published version never changes). minilm-en-8 is minilm-en-6's training run
# (var/finetune/minilm-en-6b) exported with the faster TorchScript exporter; @6 itself used the dynamo exporter:
# `make train-minilm6 MINILM_VERSION=6 EXPORT_FLAGS=--exporter=dynamo`. minilm-en-4 was trained without the
# written training cases and exported with dynamo: `make train-minilm6 MINILM_VERSION=4
# FT_FLAGS=--no-written-cases EXPORT_FLAGS=--exporter=dynamo`; minilm-en-2 also without weak THREAT labels:
# `FT_FLAGS="--no-weak-threat --no-written-cases"` (its calibration then follows today's rule for serving the
# Perspective-scale map; the committed minilm-en-2 used the earlier agreement rule).
MINILM_VERSION ?= 8
CASCADE_VERSION ?= 65
# The cascade that answers unpinned English requests (cascade-en-65, after -11, -21, -27, -30, -46 and
# -50; cascade-en-46 holds comments that name a social group to a stricter threshold, -50 is -46 reading text
# with normaliser rule set 4, and -65 is -50 over minilm3-en-64, which reads a long comment's first and last 64 tokens;
# cascade-en-14, -16, -39, -63 and -66 are candidates, reached by their pins only: `civility models list`; -66 is -65
# whose fast model also reads a long comment's last 48 words on their own). Each cascade card since -46 prints its full
# rebuild command; `make cascade` rebuilds -65, `make cascade CASCADE_VERSION=66 CASCADE_TAIL_WORDS=48` -66, `make
# cascade ACCURATE_MODEL=minilm3-en-59 CASCADE_VERSION=63` the candidate over minilm3-en-59 (`make gpu-variant-artifacts`, below: blind frames and
# counterfactual swaps in teacher and student; docs/training-gpu.md).
SERVED_CASCADE ?= cascade-en-65
# The cascade's accurate model: minilm3-en-64, minilm3-en-48's weights reading at most 128 tokens, the first and the
# last 64 of a longer comment (`civility models window minilm3-en-48 64 --head 64 --tail 64`; docs/training-gpu.md,
# "Reading window"). minilm3-en-48 (inside cascade-en-50) is minilm3-en-20's weights reading text with normaliser rule
# set 4 (`civility models renormalise minilm3-en-20 48 --rules 4`; minilm3-en-28, inside cascade-en-30 and -46, reads
# with set 3, minilm3-en-25, inside cascade-en-27, with set 2). minilm3-en-20 is a 3-layer student trained on a lent
# GPU with the written rows sampled 6× (`make gpu-artifacts`, docs/training-gpu.md) and is inside cascade-en-21;
# cascade-en-16 used minilm3-en-15 (`make train-student-cpu`; `make cascade ACCURATE_MODEL=minilm3-en-15
# CASCADE_VERSION=16`), cascade-en-14 minilm3-en-12, cascade-en-3 … -11 minilm-en-2 … -8 (`ACCURATE_MODEL=minilm-en-8`).
ACCURATE_MODEL ?= minilm3-en-64
# The cascade's fast model: linear-en-13 is distilled from minilm3-en-12 (`make train-distilled`), linear-en-10 from
# minilm-en-8 (`make train-distilled DISTIL_TEACHER=minilm-en-8 DISTILLED_VERSION=10`); cascade-en-3, -5, -7 and -9
# used linear-en-1 (`make cascade FAST_MODEL=linear-en-1 FAST_MAP=False ACCURATE_MODEL=minilm-en-8 CASCADE_VERSION=9`).
# cascade-en-16 and -21 keep linear-en-13; cascade-en-27, -30 (and -46) and -50 (and -65) have linear-en-26, -29 and -49, its
# weights reading text with rule sets 2, 3 and 4 (`civility models renormalise linear-en-13 49 --rules 4`).
DISTIL_TEACHER ?= minilm3-en-12
FAST_MODEL ?= linear-en-49
DISTILLED_VERSION ?= 13
# Map the fast model's answers onto the transformer's scale (cascade-en-11 on; the earlier cascades predate it).
FAST_MAP ?= True
FT_DIR ?= var/finetune/minilm-en-$(MINILM_VERSION)
FT_FLAGS ?=
EXPORT_FLAGS ?=
# The served transformer's recipe (minilm3-en-20's, read through minilm3-en-64's window), on this machine's CPU: the
# script a lent GPU runs (tools/gpu/train.sh: a 6-layer teacher, then its 3-layer student, the written rows 6×, seed
# 13), then export, the 64 + 64 token window as a second version, and both cards. Some hours on 2 cores (estimated
# from the measured speed of each part; run here end to end at toy size only: EXAMPLES=256 STUDENT_EXAMPLES=128); on a
# lent GPU the same script takes about four minutes (`make gpu-inputs`, then `make gpu-artifacts`; docs/training-gpu.md).
TRANSFORMER_VERSION ?= 69
WINDOW_VERSION ?= 70
TRAIN_DIR ?= var/train-transformer
train-transformer: install
	$(BIN)/pip install -q -e '.[train]'
	$(BIN)/python -m civility.training.pack --data-dir $(DATA) --out $(TRAIN_DIR)/records.jsonl.xz $(PACK_FLAGS)
	DEVICE=cpu THREADS=2 PY=$(BIN)/python PACK=$(TRAIN_DIR)/records.jsonl.xz WORK=$(TRAIN_DIR)/run OUT=$(TRAIN_DIR)/parts \
	  BASE=$$($(BIN)/python -c 'from civility.training.finetune import base_model_dir; print(base_model_dir())') \
	  WRITTEN_BOOST=6 STUDENT_LAYERS=3 SHIP_TEACHER=0 bash tools/gpu/train.sh
	HF_HUB_OFFLINE=1 $(BIN)/python -m civility.training.export $(TRAIN_DIR)/run/student3/best.pt --data-dir $(DATA) --out models/minilm3-en-$(TRANSFORMER_VERSION) --version $(TRANSFORMER_VERSION) --name minilm3-en --training-command "make train-transformer (tools/gpu/train.sh on the CPU: WRITTEN_BOOST=6 STUDENT_LAYERS=3)"
	$(BIN)/civility models status minilm3-en-$(TRANSFORMER_VERSION) candidate --reason "rebuilt by make train-transformer: compare its card with the served model's before releasing it"
	$(BIN)/civility eval models/minilm3-en-$(TRANSFORMER_VERSION) --data-dir $(DATA) --write-card
	$(BIN)/civility models window minilm3-en-$(TRANSFORMER_VERSION) $(WINDOW_VERSION) --head 64 --tail 64
	$(BIN)/civility eval models/minilm3-en-$(WINDOW_VERSION) --data-dir $(DATA) --write-card

train-minilm6: install
	$(BIN)/pip install -q -e '.[train]'
	HF_HUB_OFFLINE=1 $(BIN)/python -m civility.training.finetune --data-dir $(DATA) --out-dir $(FT_DIR) --examples 48000 --eval-every 250 --checkpoint-every 250 --dev-limit 1500 $(FT_FLAGS)
	HF_HUB_OFFLINE=1 $(BIN)/python -m civility.training.export $(FT_DIR)/best.pt --data-dir $(DATA) --out models/minilm-en-$(MINILM_VERSION) --version $(MINILM_VERSION) $(EXPORT_FLAGS)
	$(BIN)/civility eval models/minilm-en-$(MINILM_VERSION) --data-dir $(DATA) --write-card

# Training on a lent GPU machine (docs/training-gpu.md). Here: `make gpu-inputs`; there, with `carry: ["var/gpu"]` and
# models/ moved aside: `OUT=$$OUT bash tools/gpu/train.sh`; back here: `make gpu-artifacts GPU_OUT=<the files' folder>`
# rebuilds the checkpoints and exports the 3-layer student as models/minilm3-en-$(STUDENT_VERSION).
# GPU_SCRIPT: how tools/gpu/train.sh was run there, recorded in the model's manifest (minilm3-en-20:
# `WRITTEN_BOOST=6 STUDENT_LAYERS=3 tools/gpu/train.sh`; minilm3-en-12: the script's defaults).
STUDENT_VERSION ?= 12
GPU_RUN ?= var/gpuruns/latest
# PACK_FLAGS: e.g. --written-blind, to train teacher and student on the frames written without sight of the contrast
# suite (civility/training/blind_frames.py; what they did to a CPU-continued student: docs/training-gpu.md).
PACK_FLAGS ?=
GPU_SCRIPT ?= tools/gpu/train.sh
.PHONY: gpu-inputs gpu-artifacts gpu-variant-inputs gpu-variant-artifacts
gpu-inputs: install
	$(BIN)/pip install -q -e '.[train]'
	$(BIN)/python -m civility.training.pack --data-dir $(DATA) --out var/gpu/records.jsonl.xz $(PACK_FLAGS)
	$(BIN)/python -m civility.training.transfer base var/gpu/base

gpu-artifacts: install
	test -n "$(GPU_OUT)" || { echo "set GPU_OUT to the folder the device run's files came back to"; exit 2; }
	mkdir -p $(GPU_RUN) && tar -C $(GPU_RUN) -xf $(GPU_OUT)/meta.tar && cp $(GPU_OUT)/*.pt $(GPU_RUN)/parts/
	$(BIN)/python -m civility.training.transfer join $(GPU_RUN)/parts --prefix teacher --out $(GPU_RUN)/teacher/best.pt
	$(BIN)/python -m civility.training.transfer join $(GPU_RUN)/parts --prefix student3 --out $(GPU_RUN)/student3/best.pt --reference $(GPU_RUN)/teacher/best.pt
	HF_HUB_OFFLINE=1 $(BIN)/python -m civility.training.export $(GPU_RUN)/student3/best.pt --data-dir $(DATA) --out models/minilm3-en-$(STUDENT_VERSION) --version $(STUDENT_VERSION) --name minilm3-en --training-command "make gpu-artifacts ($(GPU_SCRIPT) on the lent GPU; docs/training-gpu.md)"
	$(BIN)/civility eval models/minilm3-en-$(STUDENT_VERSION) --data-dir $(DATA) --write-card

# Several runs side by side on the lent GPU (tools/gpu/variants.sh; docs/training-gpu.md). Here: `make
# gpu-variant-inputs VARIANT_PACK=p3 PACK_FLAGS="--written-blind --counterfactual"` writes var/gpu/p3.jsonl.xz (one per
# data recipe); there, with models/ moved aside, carry var/gpu/base and the packs and run
# `OUT=$$OUT VARIANTS="cf13:p3.jsonl.xz:13:6 ..." bash tools/gpu/variants.sh`; back here, for one run:
# `make gpu-variant-artifacts GPU_OUT=/work/.device/N/cf13 GPU_RUN=var/gpuruns/run8/cf13 STUDENT_VERSION=59
# GPU_SCRIPT="VARIANTS=cf13:p3.jsonl.xz:13:6 tools/gpu/variants.sh, p3 packed with --written-blind --counterfactual"` (no
# double quotes inside GPU_SCRIPT: it lands in a double-quoted argument).
# The teacher's embeddings stay the base copy's, so the student joins against the base copy (no teacher travels).
VARIANT_PACK ?= p0
gpu-variant-inputs: install
	$(BIN)/pip install -q -e '.[train]'
	$(BIN)/python -m civility.training.pack --data-dir $(DATA) --out var/gpu/$(VARIANT_PACK).jsonl.xz $(PACK_FLAGS)
	$(BIN)/python -m civility.training.transfer base var/gpu/base

gpu-variant-artifacts: install
	test -n "$(GPU_OUT)" || { echo "set GPU_OUT to the run's folder the device files came back to"; exit 2; }
	mkdir -p $(GPU_RUN) && tar -C $(GPU_RUN) -xf $(GPU_OUT)/meta.tar && cp $(GPU_OUT)/student3.part0.pt $(GPU_RUN)/parts/
	$(BIN)/python -m civility.training.transfer base-reference var/gpu/base --out $(GPU_RUN)/base-reference.pt
	$(BIN)/python -m civility.training.transfer join $(GPU_RUN)/parts --prefix student3 --out $(GPU_RUN)/student3/best.pt --reference $(GPU_RUN)/base-reference.pt
	HF_HUB_OFFLINE=1 $(BIN)/python -m civility.training.export $(GPU_RUN)/student3/best.pt --data-dir $(DATA) --out models/minilm3-en-$(STUDENT_VERSION) --version $(STUDENT_VERSION) --name minilm3-en --training-command "make gpu-variant-artifacts ($(GPU_SCRIPT) on the lent GPU; docs/training-gpu.md)"
	$(BIN)/civility eval models/minilm3-en-$(STUDENT_VERSION) --data-dir $(DATA) --write-card

# Trains a 3-layer student on this machine's CPU (about 130 examples/s, 26 minutes for 200,000 examples;
# docs/training-gpu.md): it starts from a GPU run's teacher (its bottom 3 layers and head) and learns from the teacher's
# soft targets and the current written rows. The teacher's logits are cached by row (var/finetune/teacher-*.npz), so
# only the first run pays for the teacher's pass over the training rows (about 4 minutes). Needs the GPU run's
# checkpoints (`make gpu-artifacts`). minilm3-en-15 (a candidate) is this recipe on run 2's teacher.
CPU_STUDENT_VERSION ?= 15
# WRITTEN_BOOST: how many times as often the written counter-examples are drawn (tools/gpu/train.sh has the same knob).
WRITTEN_BOOST ?= 3
STUDENT_RUN ?= var/gpuruns/run2
CPU_STUDENT_DIR ?= var/finetune/minilm3-en-$(CPU_STUDENT_VERSION)
.PHONY: train-student-cpu
train-student-cpu: install
	$(BIN)/pip install -q -e '.[train]'
	HF_HUB_OFFLINE=1 $(BIN)/python -m civility.training.finetune --data-dir $(DATA) --out-dir $(CPU_STUDENT_DIR) --layers 3 --teacher $(STUDENT_RUN)/teacher/best.pt --teacher-cache var/finetune/teacher-$(notdir $(STUDENT_RUN))-logits.npz --freeze-embeddings --examples 200000 --batch-size 32 --lr 5e-5 --max-length 256 --eval-every 500 --checkpoint-every 500 --dev-limit 3000 --boost civility-written=$(WRITTEN_BOOST) --human-only civility-written --threads 2
	HF_HUB_OFFLINE=1 $(BIN)/python -m civility.training.export $(CPU_STUDENT_DIR)/best.pt --data-dir $(DATA) --out models/minilm3-en-$(CPU_STUDENT_VERSION) --version $(CPU_STUDENT_VERSION) --name minilm3-en --training-command "make train-student-cpu STUDENT_RUN=$(STUDENT_RUN) WRITTEN_BOOST=$(WRITTEN_BOOST) CPU_STUDENT_VERSION=$(CPU_STUDENT_VERSION) (a 3-layer student of that run's teacher, trained on 2 CPU cores; docs/training-gpu.md)"
	$(BIN)/civility eval models/minilm3-en-$(CPU_STUDENT_VERSION) --data-dir $(DATA) --write-card

# Evaluates the committed models on the held-out splits and prints the tables (writes metrics.json and MODEL_CARD.md),
# writes docs/policy.md's precision table, docs/contrast.md, masking.md, obfuscation.md and padding.md, then measures
# language identification and regenerates the tables of docs/languages.md.
# CONTRAST_COMPARE: other systems in docs/contrast.md beside the served cascade and its accurate model.
# MASKING_COMPARE: the previous defaults (cascade-en-50: the same models reading a long comment's first 256 tokens;
# cascade-en-46), and the same weights reading text with normaliser rule set 2 (no unmasking), measured on masked
# spellings beside the served ones.
MASKING_COMPARE ?= cascade-en-50 cascade-en-46 cascade-en-27 minilm3-en-25 linear-en-26
CONTRAST_COMPARE ?= cascade-en-50 cascade-en-63 minilm3-en-59 cascade-en-46 cascade-en-30 cascade-en-39 cascade-en-27 cascade-en-21 cascade-en-11 cascade-en-16
# OBFUSCATION_COMPARE: the previous default and its transformer (the first 256 tokens read), and the same weights
# reading text with rule set 3, beside the served ones, on each disguise.
OBFUSCATION_COMPARE ?= cascade-en-50 minilm3-en-48 cascade-en-63 cascade-en-46 minilm3-en-28 linear-en-29
# PADDING_COMPARE: the previous default and its transformer (the first 256 tokens read), on comments quoted after the
# article's opening words (docs/padding.md).
PADDING_COMPARE ?= cascade-en-66 cascade-en-50 minilm3-en-48
eval: install
	$(BIN)/civility eval models/linear-en-1 --data-dir $(DATA) --write-card
	$(BIN)/civility eval models/minilm-en-2 --data-dir $(DATA) --write-card
	$(BIN)/civility eval models/minilm-en-$(MINILM_VERSION) --data-dir $(DATA) --write-card
	$(BIN)/civility eval models/$(ACCURATE_MODEL) --data-dir $(DATA) --write-card
	$(BIN)/civility eval models/$(FAST_MODEL) --data-dir $(DATA) --write-card
	$(BIN)/python -m civility.evaluation.policy_precision --model models/$(SERVED_CASCADE) --data-dir $(DATA) --write docs/policy.md
	$(BIN)/python -m civility.evaluation.contrast models/$(SERVED_CASCADE) models/$(ACCURATE_MODEL) $(addprefix models/,$(CONTRAST_COMPARE)) --write docs/contrast.md
	$(BIN)/python -m pip install -q -e '.[bench]'  # better-profanity's word list, for the masked spellings
	$(BIN)/python -m civility.evaluation.masking models/$(SERVED_CASCADE) models/$(ACCURATE_MODEL) models/$(FAST_MODEL) $(addprefix models/,$(MASKING_COMPARE)) --write docs/masking.md
	$(BIN)/python -m civility.evaluation.obfuscation models/$(SERVED_CASCADE) models/$(ACCURATE_MODEL) models/$(FAST_MODEL) $(addprefix models/,$(OBFUSCATION_COMPARE)) --write docs/obfuscation.md
	$(BIN)/python -m civility.evaluation.padding models/$(SERVED_CASCADE) models/$(ACCURATE_MODEL) models/$(FAST_MODEL) $(addprefix models/,$(PADDING_COMPARE)) --write docs/padding.md
	for lang in $(LANGUAGES); do $(BIN)/civility eval models/linear-$$lang-1 --data-dir $(DATA) --write-card || exit 1; done
	$(BIN)/civility eval models/linear-en-1 --data-dir $(DATA) --languages-doc docs/languages.md

clean:
	rm -rf $(VENV) var .pytest_cache

# Regenerates the generated parts of the docs (a test fails when they are stale).
docs: install
	{ sed '/^| setting |/,$$d' docs/settings.md; $(BIN)/civility config --markdown; } > docs/settings.md.new && mv docs/settings.md.new docs/settings.md

# Batch scoring throughput (1 process, N local processes, Ray local) on ~20k English evaluation comments from
# $(DATA); rewrites the "Batch scoring" section of docs/benchmarks.md.
.PHONY: bench-batch
bench-batch: install
	$(BIN)/python benchmarks/batch_bench.py --rows 20000 --data-dir $(DATA) --cascade-dir models/$(SERVED_CASCADE)

# Load test on loopback (bounded: two runs of LOAD_SECONDS each); results go to docs/benchmarks.md.
LOAD_SECONDS ?= 20
loadtest: install
	$(BIN)/python benchmarks/loadtest.py --workers 2 --duration $(LOAD_SECONDS)

# Rebuilds models/cascade-en-$(CASCADE_VERSION) ($(FAST_MODEL) + $(ACCURATE_MODEL)): measures the
# quality/throughput curve, picks the point. cascade-en-3 and -5 are linear-en-1 over minilm-en-2 and -4 (built before
# per-attribute thresholds were measured, each chose one threshold for every attribute).
# CASCADE_LEVEL: one threshold for every attribute, fixed by hand from an earlier build's "quality as served" table,
# instead of the dev rule's choice (empty: the rule). cascade-en-39 is `make cascade CASCADE_VERSION=39 CASCADE_LEVEL=0.1`.
CASCADE_LEVEL ?=
# CASCADE_TERMS: a term list whose mentions need the fast model to be surer (`CASCADE_TERMS=` for none: cascade-en-39
# and earlier have none). civility/scoring/identity_terms.txt names social groups (civility/scoring/terms.py says why).
CASCADE_TERMS ?= civility/scoring/identity_terms.txt
# CASCADE_TERMS_LEVEL: the threshold for comments that mention a term, fixed by hand (empty: chosen on half the
# template identities, civility.training.cascade.choose_terms_low)
CASCADE_TERMS_LEVEL ?=
# CASCADE_TAIL_WORDS: a long comment's last words, read by the fast model on their own as well (0: off; cascade-en-65
# and earlier have none; the candidate cascade-en-66 has 48), so a reply after a long quote is not diluted away
# (docs/padding.md).
CASCADE_TAIL_WORDS ?= 0
cascade: install
	$(BIN)/python -c "from pathlib import Path; from civility.training.cascade import build; build(Path('models'), Path('$(DATA)'), fast_name='$(FAST_MODEL)', accurate_name='$(ACCURATE_MODEL)', out_name='cascade-en-$(CASCADE_VERSION)', map_fast=$(FAST_MAP), level=$(if $(CASCADE_LEVEL),$(CASCADE_LEVEL),None), escalate_terms=$(if $(CASCADE_TERMS),Path('$(CASCADE_TERMS)'),None), terms_level=$(if $(CASCADE_TERMS_LEVEL),$(CASCADE_TERMS_LEVEL),None), tail_words=$(CASCADE_TAIL_WORDS))"

# Rebuilds models/linear-en-$(DISTILLED_VERSION): the linear model fitted towards $(DISTIL_TEACHER)'s
# probabilities (civility.training.distil; ~8 min on 2 cores), the cascade's fast model.
.PHONY: train-distilled
train-distilled: install
	$(BIN)/civility train linear --teacher $(DISTIL_TEACHER) --version $(DISTILLED_VERSION) --data-dir $(DATA)

# Scoring speed beside peers (alt-profanity-check, better-profanity, Detoxify's architecture) -> docs/benchmarks.md.
# BENCH_COMPARE: more models measured in the same run (the candidates, an earlier default).
BENCH_COMPARE ?= cascade-en-66 cascade-en-50 cascade-en-63 cascade-en-46 cascade-en-30 cascade-en-39 cascade-en-11 minilm-en-8 linear-en-1
bench: install
	$(BIN)/python -m pip install -q -e '.[bench,train]'
	test -x var/prod-venv/bin/python || $(PY) -m venv var/prod-venv
	var/prod-venv/bin/python -m pip install -q .
	$(BIN)/python benchmarks/scoring_bench.py --production-python var/prod-venv/bin/python --compare $(BENCH_COMPARE)
