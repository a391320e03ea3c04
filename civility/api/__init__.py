"""HTTP adapters: parse, call one service, render. No SQL, thresholds or model calls here."""
