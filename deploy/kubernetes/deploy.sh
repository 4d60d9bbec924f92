#!/usr/bin/env bash
# Deploys tilebag to the cluster of the current kubectl context.
#
#   deploy/kubernetes/deploy.sh IMAGE [OVERLAY]
#
#   IMAGE    the image to run, with a tag or a digest (not `latest`):
#            registry.example.org/tilebag:0.2.0 or registry.example.org/tilebag@sha256:...
#   OVERLAY  a kustomize overlay directory; default overlays/postgres beside this script
#            (a relative path is looked up from the current directory, then beside this script)
#
# What it does, each step waited for; the first failure stops it with a non-zero status:
#   1. Renders the overlay with IMAGE: a temporary kustomization beside the overlay, whose
#      `images:` entry replaces ghcr.io/example/tilebag, through `kubectl kustomize`. Checks
#      that every image in the result is IMAGE and that no CHANGE-ME placeholder is left, and
#      has the API server dry-run everything. Nothing is changed in the cluster up to here.
#   2. Applies the ConfigMap and the Secrets (the migration Job reads them).
#   3. If the overlay has a migration Job: deletes the previous one, applies the new one and
#      waits until it completes. If it fails (or times out) the script prints its logs and
#      stops: the running release is untouched (migrations only add, so it works on the
#      migrated schema).
#   4. Applies everything else and waits for the rollout. If the rollout does not finish, it
#      prints the pods and events and rolls a Deployment back to the previous revision.
#
# Environment: TILEBAG_DEPLOY_TIMEOUT (seconds for the Job and for the rollout; default 300).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timeout=${TILEBAG_DEPLOY_TIMEOUT:-300}

die() {
  echo "deploy.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
[[ $1 != -h && $1 != --help ]] || usage
image=$1
overlay=${2:-overlays/postgres}
command -v kubectl >/dev/null || die "kubectl is not installed"
[[ $timeout =~ ^[0-9]+$ ]] || die "TILEBAG_DEPLOY_TIMEOUT must be a number of seconds"

# --- the image: name plus tag or digest, as kustomize's images: entry wants them
name=$image
digest=
tag=
if [[ $name == *@* ]]; then
  digest=${name#*@}
  name=${name%%@*}
fi
last=${name##*/}
if [[ $last == *:* ]]; then
  tag=${last##*:}
  name=${name%:*}
fi
[[ -n $name ]] || die "no image name in '$image'"
if [[ -n $digest ]]; then
  [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || die "'$digest' is not a sha256 digest"
  expected="$name@$digest"
elif [[ -n $tag && $tag != latest ]]; then
  expected="$name:$tag"
else
  die "give the image a tag or digest other than 'latest' (a moving tag does not roll the pods): '$image'"
fi

# --- the overlay
if [[ ! -d $overlay && $overlay != /* && -d $here/$overlay ]]; then
  overlay=$here/$overlay
fi
[[ -f $overlay/kustomization.yaml ]] || die "no kustomization.yaml in '$overlay'"
overlay=$(cd "$overlay" && pwd)

# The temporary kustomization must sit beside the overlay: kustomize takes neither absolute
# paths nor a parent directory of itself as a resource.
work=$(mktemp -d "$(dirname "$overlay")/.deploy.XXXXXX")
trap 'rm -rf "$work"' EXIT
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources:"
  echo "  - ../$(basename "$overlay")"
  echo "images:"
  echo "  - name: ghcr.io/example/tilebag"
  echo "    newName: \"$name\""
  if [[ -n $digest ]]; then
    echo "    digest: \"$digest\""
  else
    echo "    newTag: \"$tag\""
  fi
} >"$work/kustomization.yaml"

context=$(kubectl config current-context 2>/dev/null) || die "kubectl has no current context"
echo "== rendering $overlay with $expected (context $context)"
kubectl kustomize "$work" >"$work/all.yaml"

images=$(awk '$1 == "image:" || $1 == "-" && $2 == "image:" { print $NF }' "$work/all.yaml" | sort -u)
[[ -n $images ]] || die "the overlay has no container image"
[[ $images == "$expected" ]] || die "images other than $expected in the rendered manifests (does the overlay rename ghcr.io/example/tilebag?):
$images"

# Split the documents: config (Namespace, ConfigMap, Secret), the migration Job, the rest; and
# list the workloads, and the objects that still contain a CHANGE-ME placeholder.
# kustomize writes top-level keys unindented and separates documents with '---'.
awk -v dir="$work" '
  function flush(  file) {
    if (doc == "") return
    file = (kind == "Job") ? "job" : (kind == "Namespace" || kind == "ConfigMap" || kind == "Secret") ? "config" : "rest"
    printf "---\n%s", doc >> (dir "/" file ".yaml")
    if (kind == "Job" || kind == "Deployment" || kind == "StatefulSet")
      print tolower(kind), name, namespace >> (dir "/targets")
    if (placeholder)
      print kind "/" name >> (dir "/placeholders")
    doc = ""; kind = ""; name = ""; namespace = ""; meta = 0; placeholder = 0
  }
  /^---$/ { flush(); next }
  /^kind: / { kind = $2 }
  /^[a-zA-Z]/ { meta = ($0 == "metadata:") }
  meta && /^  name: / { name = $2 }
  meta && /^  namespace: / { namespace = $2 }
  /CHANGE-ME/ { placeholder = 1 }
  { doc = doc $0 "\n" }
  END { flush() }
' "$work/all.yaml"
if [[ -s $work/placeholders ]]; then
  die "the rendered manifests still contain a CHANGE-ME placeholder in $(paste -sd ' ' "$work/placeholders" | sed 's/ /, /g'): create each such Secret with kubectl and deploy a private overlay that deletes it (\$patch: delete), or one that sets the real value (README, section Kubernetes; each placeholder's file in base/ shows its kubectl command)"
fi
[[ -s $work/config.yaml && -s $work/rest.yaml && -s $work/targets ]] || die "the overlay lacks settings or a workload"

default_ns=$(kubectl config view --minify -o 'jsonpath={..namespace}')
default_ns=${default_ns:-default}
job=
job_ns=
workloads=()
while read -r kind object ns; do
  ns=${ns:-$default_ns}
  case $kind in
    job)
      [[ -z $job ]] || die "more than one Job in the overlay"
      job=$object
      job_ns=$ns
      ;;
    *) workloads+=("$kind/$object/$ns") ;;
  esac
done <"$work/targets"
[[ ${#workloads[@]} -gt 0 ]] || die "the overlay has no Deployment or StatefulSet"

echo "== checking the manifests with the API server (dry run)"
kubectl apply --dry-run=server -f "$work/config.yaml" -f "$work/rest.yaml" >/dev/null

echo "== settings"
kubectl apply -f "$work/config.yaml"

if [[ -n $job ]]; then
  echo "== migration: job/$job in $job_ns"
  kubectl -n "$job_ns" delete job "$job" --ignore-not-found --cascade=foreground --wait=true --timeout=120s
  kubectl apply -f "$work/job.yaml"
  # Poll rather than `kubectl wait --for=condition=complete`, which would sit out the whole
  # timeout when the Job has already failed.
  deadline=$((SECONDS + timeout))
  state=
  while :; do
    state=" $(kubectl -n "$job_ns" get job "$job" \
      -o 'jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}') "
    [[ $state != *" Complete "* && $state != *" Failed "* && $SECONDS -lt $deadline ]] || break
    sleep 3
  done
  if [[ $state != *" Complete "* ]]; then
    state=$(xargs <<<"$state")
    echo "deploy.sh: the migration did not complete within ${timeout}s (conditions: ${state:-none}); nothing else was changed" >&2
    kubectl -n "$job_ns" get pods -l "job-name=$job" -o wide >&2 || true
    kubectl -n "$job_ns" logs -l "job-name=$job" --all-containers --prefix --tail=200 >&2 || true
    kubectl -n "$job_ns" describe job "$job" | sed -n '/^Events:/,$p' >&2 || true
    exit 1
  fi
  kubectl -n "$job_ns" logs "job/$job" --tail=50 || true
fi

echo "== rollout"
kubectl apply -f "$work/rest.yaml"
for workload in "${workloads[@]}"; do
  kind=${workload%%/*}
  rest=${workload#*/}
  object=${rest%%/*}
  ns=${rest#*/}
  if ! kubectl -n "$ns" rollout status "$kind/$object" --timeout="${timeout}s"; then
    echo "deploy.sh: $kind/$object did not become ready within ${timeout}s" >&2
    kubectl -n "$ns" get pods -l app.kubernetes.io/name=tilebag -o wide >&2 || true
    kubectl -n "$ns" get events --sort-by=.lastTimestamp | tail -n 20 >&2 || true
    if [[ $kind == deployment ]]; then
      echo "deploy.sh: rolling $kind/$object back to its previous revision" >&2
      kubectl -n "$ns" rollout undo "$kind/$object" >&2 || true
    else
      echo "deploy.sh: roll back with: $0 PREVIOUS-IMAGE $overlay (then delete a pod stuck unready)" >&2
    fi
    exit 1
  fi
done
echo "== deployed $expected"
