// A small JSON writer (no Foundation) and the JSON form of a run.

indirect enum JSON {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int64)
    case uint(UInt64)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    func render(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return d.isFinite ? fmtJSONNumber(d) : "null"
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .string(let s): return JSON.quote(s)
        case .array(let a):
            if a.isEmpty { return "[]" }
            if a.allSatisfy({ $0.isScalar }) { return "[" + a.map { $0.render() }.joined(separator: ", ") + "]" }
            return "[\n" + a.map { inner + $0.render(indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            return "{\n" + o.map { inner + JSON.quote($0.0) + ": " + $0.1.render(indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

func fmtJSONNumber(_ d: Double) -> String {
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return fmt(d, abs(d) >= 100 ? 2 : abs(d) >= 1 ? 4 : 6)
}

func statJSON(_ s: Stat?) -> JSON {
    guard let s else { return .null }
    return .object([("median", .number(s.median)), ("min", .number(s.min)), ("max", .number(s.max))])
}

func samplesJSON(_ s: Samples?, size: Int?) -> JSON {
    guard let s else { return .null }
    var o: [(String, JSON)] = [("ns_per_call", statJSON(s.ns))]
    if let size { o.append(("gb_per_s", statJSON(s.gbps(size)))) }
    o.append(("iterations_per_repetition", .uint(s.iterations)))
    o.append(("repetitions", .int(Int64(s.nsPerCall.count))))
    o.append(("retimed", .int(Int64(s.retimed))))
    o.append(("still_disturbed", .int(Int64(s.disturbed))))
    o.append(("ns_per_call_samples", .array(s.nsPerCall.map { .number($0) })))
    return .object(o)
}

extension RunResults {
    func json() -> String {
        let m = machine
        var root: [(String, JSON)] = [
            ("tool", .string("crcbench")),
            ("format", .int(1)),
            ("units", .object([
                ("gb_per_s", .string("10^9 bytes per second")), ("ns_per_call", .string("nanoseconds per call")),
            ])),
            ("date", .string(m.date)),
            ("commit", m.commit.map { .string($0) } ?? .null),
            ("command", .string(m.command)),
            ("machine", .object([
                ("cpu", .string(m.cpu)), ("online_cpus", .int(Int64(m.onlineCPUs))), ("os", .string(m.os)),
                ("features", .array(m.features.map { .string($0) })),
                ("kernels", .array(Kernels.all.map {
                    .object([("name", .string($0.name)), ("supported", .bool($0.supported))])
                })),
                ("dispatched_kernel", .string(m.dispatched)),
                ("crc64_kernel_env", m.kernelForced.map { .string($0) } ?? .null),
                ("swift_compiler", .string(m.swiftCompiler)),
                ("c_compiler", .string(m.cCompiler)),
            ])),
            ("method", .object([
                ("repetitions", .int(Int64(repetitions))),
                ("repetitions_from_64_MiB", .int(Int64(largeRepetitions))),
                ("target_ms_per_repetition", .number(targetMs)),
                ("interleaved", .bool(true)),
                ("statistic", .string("median, min, max over repetitions")),
                ("modes", .object([
                    ("throughput", .string("acc ^= f(seed, buf, n)")), ("latency", .string("acc = f(acc, buf, n)")),
                ])),
                ("quick", .bool(options.quick)),
            ])),
            ("elapsed_seconds", .number(elapsedSeconds)),
            ("load_average_1min", .object([
                ("start", m.loadAtStart.map { .number($0) } ?? .null), ("end", loadAtEnd.map { .number($0) } ?? .null),
            ])),
            ("other_processes_cores", .object(
                (kernels.map { k in Mode.allCases.compactMap { m in k.otherLoad[m].map { ("kernels_\(m.rawValue)", JSON.number($0)) } } } ?? [])
                    + otherLoad.sorted { $0.key < $1.key }.map { ($0.key, JSON.number($0.value)) })),
            ("repetitions_total", .int(Int64(tally?.repetitions ?? 0))),
            ("repetitions_retimed", .int(Int64(tally?.retimed ?? 0))),
            ("repetitions_still_disturbed", .int(Int64(tally?.disturbed ?? 0))),
        ]
        if let k = kernels {
            var columns: [JSON] = []
            for c in k.columns {
                columns.append(.object([
                    ("id", .string(c.id)), ("header", .string(c.header)), ("title", .string(c.title)),
                    ("peer", .bool(c.isPeer)), ("algorithm", .string(c.algorithm)), ("available", .bool(c.available)),
                    ("absent", c.absent.map { .string($0) } ?? .null),
                ]))
            }
            var results: [JSON] = []
            for mode in Mode.allCases {
                for size in (mode == .throughput ? k.sizes : k.latencySizes) {
                    for c in k.columns where c.available {
                        guard let s = k.samples(mode, size, c.id) else { continue }
                        results.append(.object([
                            ("mode", .string(mode.rawValue)), ("size", .int(Int64(size))), ("column", .string(c.id)),
                            ("result", samplesJSON(s, size: size)),
                        ]))
                    }
                }
            }
            var ratios: [JSON] = []
            for mode in Mode.allCases {
                for size in k.sizes {
                    if let r = k.ratio[mode]?[size] {
                        ratios.append(.object([
                            ("mode", .string(mode.rawValue)), ("size", .int(Int64(size))), ("ratio", statJSON(r)),
                        ]))
                    }
                }
            }
            root.append(("kernels", .object([
                ("columns", .array(columns)),
                ("unsupported_kernels", .array(k.unsupportedKernels.map { .string($0) })),
                ("sizes", .array(k.sizes.map { .int(Int64($0)) })),
                ("latency_sizes", .array(k.latencySizes.map { .int(Int64($0)) })),
                ("results", .array(results)),
                ("crc64_xz_over_isal", .array(ratios)),
                ("value_mismatches", .array(k.mismatches.map { .string($0) })),
            ])))
        }
        if let mr = models {
            var rows: [JSON] = []
            for r in mr.rows {
                var res: [JSON] = []
                for size in mr.sizes {
                    for mode in Mode.allCases {
                        res.append(.object([
                            ("mode", .string(mode.rawValue)), ("size", .int(Int64(size))),
                            ("result", samplesJSON(r.results[mode]?[size], size: size)),
                            ("speed_vs_xz", statJSON(r.ratioToXZ[mode]?[size])),
                        ]))
                    }
                }
                rows.append(.object([
                    ("preset", .int(Int64(r.index))), ("name", .string(r.name)), ("poly", .string("0x" + hex(r.poly))),
                    ("reflected", .bool(r.reflected)), ("check_ok", .bool(r.checkOK)), ("results", .array(res)),
                ]))
            }
            root.append(("models", .array(rows)))
        }
        if let c = combine {
            root.append(("combine", .array(c.map { r in
                .object([
                    ("len2", .uint(r.len2)), ("correct", .bool(r.correct)),
                    ("combine_throughput", samplesJSON(r.combine[.throughput], size: nil)),
                    ("combine_latency", samplesJSON(r.combine[.latency], size: nil)),
                    ("combiner_apply_throughput", samplesJSON(r.apply[.throughput], size: nil)),
                    ("combiner_apply_latency", samplesJSON(r.apply[.latency], size: nil)),
                ])
            })))
        }
        if let s = swiftAPI {
            root.append(("swift_api", .object([
                ("value_mismatch", .bool(swiftAPIMismatch)),
                ("rows", .array(s.map { r in
                    .object([
                        ("swift_call", .string(r.label)),
                        ("c_call", .string(r.cLabel)),
                        ("size", .int(Int64(r.size))),
                        ("mode", .string(r.chained ? "latency" : "throughput")),
                        ("swift", samplesJSON(r.swift, size: r.size == 0 ? nil : r.size)),
                        ("c", samplesJSON(r.c, size: r.size == 0 ? nil : r.size)),
                        ("overhead_ns", .number(r.swift.ns.median - r.c.ns.median)),
                        ("swift_over_c_time", statJSON(r.ratio)),
                    ])
                })),
            ])))
        }
        if let p = parallel {
            root.append(("parallel", .object([
                ("threads", .int(Int64(parallelThreads))),
                ("rows", .array(p.map { r in
                    .object([
                        ("size", .int(Int64(r.size))),
                        ("candidates", .array(r.ids.map { id in
                            .object([
                                ("id", .string(id)), ("title", .string(r.titles[id] ?? id)),
                                ("result", samplesJSON(r.results[id], size: r.size)),
                            ])
                        })),
                        ("value_mismatches", .array(r.mismatches.map { .string($0) })),
                    ])
                })),
            ])))
        }
        return JSON.object(root).render() + "\n"
    }
}
