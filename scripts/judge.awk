# Judge the guest's per-test reports (see tests/vm/lib/runner.sh).
# Variables: kernel, qrc (QEMU's exit code), tests (space separated names
# expected), console (path of the guest console log), show_output (print
# the output of passing tests too).
# Prints "ok", "FAIL" or "skip" lines, details of failures, and last a line
# "counts: PASSED FAILED SKIPPED".

function bad_kernel_log(text) {
	return text ~ /(WARNING:|BUG:|Oops|KASAN|kmemleak|unreferenced object|refcount_t|UBSAN|INFO: possible|INFO: suspicious|INFO: task .* blocked|general protection|Kernel panic|RCU detected stall|watchdog: BUG|ODEBUG|list_add corruption|list_del corruption|Call Trace)/
}

function show(title, text) {
	if (text == "")
		return
	print "    --- " title
	gsub(/\n/, "\n      ", text)
	print "      " text
}

function report(status, name, why, secs) {
	printf "%-4s %s/%s%s%s\n", status, kernel, name, \
		(secs != "" ? " (" secs "s)" : ""), (why != "" ? ": " why : "")
	if (status == "ok")
		passed++
	else if (status == "skip")
		skipped++
	else
		failed++
}

# KUnit results, read from the kernel log (each case's debugfs log is
# capped and can lose its result line). Counts every case; a suite whose
# summary says "not ok" without a failed case, or whose plan ("1..N") does
# not match the cases seen, fails as a whole.
function kunit_cases(text,    n, i, lines, l, name, st, found, suite, plan, seen, bad) {
	n = split(text, lines, "\n")
	found = 0
	for (i = 1; i <= n; i++) {
		l = lines[i]
		sub(/^\[ *[0-9.]+\] /, "", l)
		if (l ~ /^    # Subtest: /) {
			suite = l
			sub(/^    # Subtest: /, "", suite)
			plan = -1
			seen = bad = 0
			continue
		}
		if (l ~ /^    1\.\.[0-9]+$/) {
			plan = substr(l, 8) + 0
			continue
		}
		if (l ~ /^    (not )?ok [0-9]+ /) {
			name = l
			sub(/^    (not )?ok [0-9]+ (- )?/, "", name)
			sub(/ .*/, "", name)
			st = (l ~ /^    not ok/) ? "FAIL" : (l ~ /# SKIP/ ? "skip" : "ok")
			report(st, "kunit/" name, "", "")
			seen++
			found++
			if (st == "FAIL")
				bad++
			continue
		}
		if (l ~ /^(not )?ok [0-9]+ / && suite != "") {
			if (l ~ /^not ok/ && bad == 0)
				report("FAIL", "kunit/" suite, "suite failed", "")
			else if (plan >= 0 && seen != plan)
				report("FAIL", "kunit/" suite, seen " of " plan " case results", "")
			suite = ""
		}
	}
	return found
}

BEGIN {
	passed = failed = skipped = 0
	mode = ""
}

/^@@BEGIN / {
	cur = $2
	out = ""
	dmesg = ""
	mode = "out"
	next
}

/^@@DMESG$/ {
	mode = "dmesg"
	next
}

/^\| / || /^\|$/ {
	line = substr($0, 3)
	if (mode == "out")
		out = out (out == "" ? "" : "\n") line
	else if (mode == "dmesg")
		dmesg = dmesg (dmesg == "" ? "" : "\n") line
	next
}

/^@@END / {
	name = $2
	rc = $3
	secs = $4
	done[name] = 1
	mode = ""
	badlog = bad_kernel_log(dmesg)
	why = ""
	if (rc == 143 || rc == 124)
		why = "timed out"
	else if (rc == 98)
		why = "left a module that would not unload"
	else if (rc != 0 && rc != 77)
		why = "exit " rc
	if (badlog)
		why = why (why == "" ? "" : ", ") "kernel log has a warning or error report"

	if (name == "kunit") {
		if (kunit_cases(dmesg) == 0 && why == "")
			why = "no KUnit results"
		if (why == "")
			next
	}
	if (why != "") {
		report("FAIL", name, why, secs)
		show("output", out)
		show("kernel log", dmesg)
	} else if (rc == 77) {
		report("skip", name, "", secs)
	} else {
		report("ok", name, "", secs)
	}
	if (why == "" && show_output == 1)
		show("output", out)
	next
}

END {
	n = split(tests, want, " ")
	for (i = 1; i <= n; i++) {
		if (want[i] in done)
			continue
		report("FAIL", want[i], "did not finish (QEMU exit " qrc ")", "")
		if (!shown_console) {
			shown_console = 1
			text = ""
			cmd = "tail -n 60 '" console "'"
			while ((cmd | getline l) > 0)
				text = text (text == "" ? "" : "\n") l
			close(cmd)
			show("guest console (last 60 lines)", text)
		}
	}
	print "counts: " passed " " failed " " skipped
}
