#!/bin/bash
# Issue 12's GPU rows of the PAndAS benchmark, every (model, fold) as its own process so that one
# GPU and many CPU cores train them side by side (each process is small: 700 training cutouts).
#
#   bash benchmarks/real_pandas_gpu.sh DATA OUT [SECONDS] [SET]
#
# DATA is the pandas-m31 folder, OUT the results folder (one JSON per model and fold, as
# real_pandas.py writes them), SECONDS the wall-clock budget of the training processes (default
# 900): a process still running then is stopped and its fold is missing from OUT, never half
# written. Summarise afterwards, on any machine, with
#   python benchmarks/real_pandas.py --summarise --out OUT
# SET 1 (default): the M31 paper's ResNet-50 geometry (central 56 px resized to 224 px, SGD 1e-2);
# ResNet-50 on the whole cutout at the native 128 px (Adam 1e-4); and five ResNet-18 members at
# 128 px averaged (the best single model on a CPU, now as an ensemble).
# SET 2 (after SET 1, 2026-12-04): the paper's ResNet-50 geometry trained as ResNet-18 is (Adam
# 1e-4, no weight decay); three ResNet-18 members on the whole cutout enlarged to 256 px inside
# the network; three ResNet-18 members at 128 px trained longer (60 epochs, patience 15, cosine
# schedule, 4 px shifts).
# SET 3 (ready, not yet run): the paper's ResNet-50 geometry with the paper's normalisation, zstd
# (set 1's robust zscore runs away on the central 56 px, docs/real_images.md), with its SGD
# recipe and with Adam; and five ResNet-18 members of set 2's longer recipe.
set -u
DATA=${1:?the pandas-m31 folder}
OUT=${2:?the results folder}
BUDGET=${3:-900}
SET=${4:-1}
PY=${PYTHON:-python3}
mkdir -p "$OUT/logs"
here=$(cd "$(dirname "$0")" && pwd)
B=("$PY" "$here/real_pandas.py" --device cuda --threads 1 --data "$DATA" --out "$OUT")
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$PY" -c "import torch, torchvision; print('torch', torch.__version__, 'torchvision', torchvision.__version__, torch.cuda.get_device_name())"
# the paper's model timed alone first: its per-batch figures say what the budget buys
[ "$SET" = 1 ] && timeout 60 "${B[@]}" --models resnet50,resnet50-n128 --time-batches 5
t0=$(date +%s)
pids=()
launch() {  # name fold args...: one (model, fold) in the background, its log beside the results
  local name=$1 k=$2; shift 2
  timeout "$BUDGET" "${B[@]}" --folds "$k" "$@" > "$OUT/logs/${name}_fold$k.log" 2>&1 &
  pids+=($!)
}
for k in 0 1 2 3 4; do
  if [ "$SET" = 1 ]; then
    launch resnet50 $k --models resnet50 --tag=-gpu
    launch resnet50-n128 $k --models resnet50-n128 --tag=-gpu
    launch resnet18-x5 $k --models resnet18 --stamp-size 128 --members 5 --tag=-n128-x5-gpu
  elif [ "$SET" = 3 ]; then
    launch resnet50-zstd $k --models resnet50 --normalisation zstd --tag=-zstd-gpu
    launch resnet50-zstd-adam $k --models resnet50 --normalisation zstd --tag=-zstd-adam-gpu \
      --recipe optimizer=adam,lr=1e-4,weight_decay=0
    launch resnet18-long5 $k --models resnet18 --stamp-size 128 --members 5 --tag=-n128-long-x5-gpu \
      --recipe epochs=60,early_stopping_patience=15,lr_schedule=cosine,shift=4
  else
    launch resnet50-adam $k --models resnet50 --recipe optimizer=adam,lr=1e-4,weight_decay=0 --tag=-adam-gpu
    launch resnet18-i256 $k --models resnet18 --stamp-size 128 --input-size 256 --members 3 --tag=-n128-i256-x3-gpu
    launch resnet18-long $k --models resnet18 --stamp-size 128 --members 3 --tag=-n128-long-x3-gpu \
      --recipe epochs=60,early_stopping_patience=15,lr_schedule=cosine,shift=4
  fi
done
for p in "${pids[@]}"; do wait "$p"; echo "process $p: rc $? at $(( $(date +%s) - t0 )) s"; done
nvidia-smi --query-gpu=memory.used --format=csv,noheader
ls "$OUT"
