# Sourced by ./mvnw and ./pipeline: sets JAVA_HOME to a JDK >= 21 (Lambda's java21 runtime is the target).
# Order: JAVA_HOME if new enough, then `java` on PATH, then the newest JDK under /usr/lib/jvm and ~/.sdkman.
# Prints what to install and exits when there is none.
_jp_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1 | cut -d. -f1
}
_jp_ok() { [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && m=$(_jp_java_major "$1/bin/java") && [ -n "$m" ] && [ "$m" -ge 21 ]; }
_jp_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && _jp_ok "$JAVA_HOME"; then return 0; fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if _jp_ok "$candidate"; then JAVA_HOME=$candidate; export JAVA_HOME; return 0; fi
  fi
  best=""; best_major=0
  case $- in *f*) _jp_noglob=1; set +f ;; *) _jp_noglob=0 ;; esac
  for dir in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$dir" ] || continue
    if _jp_ok "$dir"; then
      m=$(_jp_java_major "$dir/bin/java")
      if [ "$m" -gt "$best_major" ]; then best=$dir; best_major=$m; fi
    fi
  done
  [ "$_jp_noglob" = 1 ] && set -f
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "No JDK 21 or newer found (JAVA_HOME, PATH, /usr/lib/jvm). Install one, e.g. 'apt-get install openjdk-21-jdk-headless'" >&2
  echo "or Temurin 21+ from https://adoptium.net, then set JAVA_HOME to it." >&2
  return 1
}
_jp_find_jdk || exit 1
