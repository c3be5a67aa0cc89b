# One row of run-baseline.sh's tables from results.txt (one RESULT line per run, key=value fields).
# -v c=<callers> -v dur=<measured seconds> -v table=calls|cpu. Medians over the rounds; head/base per round in brackets.
{
  delete v
  for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  if (v["concurrency"] != c) next
  t = v["version"]; r = v["round"]; n[t]++
  calls = v["calls_per_s"] * dur
  rps[t, n[t]] = v["calls_per_s"]; p50[t, n[t]] = v["p50_us"]
  cb[t, n[t]] = v["client_bytes"] - v["message_bytes"]; sb[t, n[t]] = v["server_bytes"] - v["message_bytes"]
  sw[t, n[t]] = calls > 0 ? v["switches"] / calls : 0
  cl[t, n[t]] = calls > 0 ? v["cpu_load_ms"] * 1000 / calls : 0
  cs[t, n[t]] = calls > 0 ? v["cpu_server_ms"] * 1000 / calls : 0
  rpsr[t, r] = v["calls_per_s"]; clr[t, r] = cl[t, n[t]]
}
function med(a, t, m,   i, j, x, tmp) {
  for (i = 1; i <= m; i++) x[i] = a[t, i]
  for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (x[j] < x[i]) { tmp = x[i]; x[i] = x[j]; x[j] = tmp }
  return m % 2 ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
}
function rounds(a, m,   r, s) {
  s = ""
  for (r = 1; r <= m; r++) s = s (r > 1 ? ", " : "") (a["base", r] > 0 ? sprintf("%.3f", a["head", r] / a["base", r]) : "—")
  return s
}
END {
  m = n["head"] < n["base"] ? n["head"] : n["base"]
  if (m == 0) exit
  if (table == "calls") {
    switches = c == 1 ? sprintf("%.2f / %.2f", med(sw, "base", m), med(sw, "head", m)) : "—"
    printf "| %d | %.0f | %.0f | %.3f× (%s) | %.1f | %.1f | %.0f / %.0f | %.0f / %.0f | %s |\n", c, med(rps, "base", m), med(rps, "head", m),
      med(rps, "head", m) / med(rps, "base", m), rounds(rpsr, m), med(p50, "base", m), med(p50, "head", m),
      med(cb, "base", m), med(sb, "base", m), med(cb, "head", m), med(sb, "head", m), switches
  } else if (med(cl, "base", m) > 0) {
    printf "| %d | %.2f | %.2f | %.3f× (%s) | %.2f | %.2f | %.3f× |\n", c, med(cl, "base", m), med(cl, "head", m),
      med(cl, "head", m) / med(cl, "base", m), rounds(clr, m), med(cs, "base", m), med(cs, "head", m), med(cs, "head", m) / med(cs, "base", m)
  }
}
