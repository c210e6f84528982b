import Yams

/// Makes an input's gwcs (the `meta.wcs` node of its ASDF tree) describe the oversampled grid exactly as jwst 3.0's
/// adaptive_trace_model does, so that cube_build and resample_spec map the product's pixels to the sky:
/// - MIRI MRS: a `coordinates` step goes first; its `coord2det` transform maps oversampled pixels to detector
///   pixels, and the first transform's bounding box moves to the oversampled grid (jwst edits it in place, so the
///   detector step's box changes too, and the new transform gets a copy);
/// - NIRSpec IFU, whose WCS already starts at `coordinates` (jwst 3.0 assign_wcs's default): the map goes in
///   front of the existing `coordinates` transform, keeping its name, and the per-slice bounding boxes of the
///   detector step move to the oversampled grid.
/// A slice-based NIRSpec WCS (`nrs_ifu_slice_wcs`) is not handled: `apply` throws, and the caller says so.
struct OversampledWCS {
    let map: SlicePixelMap
    /// True for MIRI MRS: the oversampled axis is detector x (the first pixel input), else detector y.
    let alongX: Bool

    /// Index of the oversampled axis among a pixel transform's inputs.
    private var axis: Int { alongX ? 0 : 1 }

    func apply(to wcs: Node) throws(OversampledWCSError) -> Node {
        guard var steps = wcs["steps"]?.sequence, let first = steps.first else { throw .unrecognised("no steps") }
        let startsAtCoordinates = first["frame"]?["name"]?.string == "coordinates"
        if alongX {
            guard !startsAtCoordinates else { throw .unrecognised("it already starts at a coordinates frame") }
            steps = try prependingCoordinates(to: steps)
        } else {
            guard startsAtCoordinates else { throw .unrecognised("a slice-based NIRSpec WCS (no coordinates frame)") }
            steps = try composingCoordinates(in: steps)
        }
        var edited = wcs
        edited["steps"] = .sequence(steps)
        return edited
    }

    /// The `coordinates` → `detector` map for a 2-input pipeline: the slice map on the oversampled axis, identity
    /// on the other; `inputs` and `outputs` name the compound's own.
    private func pixelMap(inputs: [String], outputs: [String], name: String? = nil, boundingBox: Node? = nil) -> Node {
        let forward = alongX ? [GWCSNodes.sliceMap(map), GWCSNodes.identity] : [GWCSNodes.identity, GWCSNodes.sliceMap(map)]
        return GWCSNodes.compound(
            "concatenate-1.4.0", forward, inputs: inputs, outputs: outputs, name: name,
            extra: boundingBox.map { [("bounding_box", $0)] } ?? [])
    }

    private func prependingCoordinates(to steps: Node.Sequence) throws(OversampledWCSError) -> Node.Sequence {
        var steps = steps
        var newBox: Node?
        if var transform = steps[0]["transform"], let box = transform["bounding_box"] {
            let intervals = try oversampledIntervals(box, inputs: transform["inputs"]?.array(of: String.self) ?? [])
            transform["bounding_box"] = boundingBox(box, with: intervals)
            steps[0]["transform"] = transform
            newBox = GWCSNodes.boundingBox(zip(["x", "y"], intervals.map(\.1)).map { ($0, $1) })
        }
        let coordinates = GWCSNodes.step(
            frame: GWCSNodes.pixelFrame("coordinates"),
            transform: pixelMap(
                inputs: ["x", "y"], outputs: ["x", "y"], name: "coord2det",
                boundingBox: newBox))
        return Node.Sequence([coordinates] + Array(steps), steps.tag, steps.style)
    }

    private func composingCoordinates(in steps: Node.Sequence) throws(OversampledWCSError) -> Node.Sequence {
        guard steps.count > 1, let existing = steps[0]["transform"] else { throw .unrecognised("no coordinates transform") }
        var steps = steps
        // astropy names a concatenate's free inputs itself: x0 (identity) and x (the slice map).
        let map = pixelMap(inputs: ["x0", "x"], outputs: ["x0", "y"])
        steps[0]["transform"] = GWCSNodes.compound(
            "compose-1.4.0", [map, existing], inputs: existing["inputs"]?.array(of: String.self) ?? ["x", "y"],
            outputs: existing["outputs"]?.array(of: String.self) ?? ["x", "y"], name: existing["name"]?.string)
        guard var selector = steps[1]["transform"], var pairs = selector["selector"]?.sequence, pairs.count == 2,
            let labels = pairs[0]["labels"]?.array(of: Int.self), var transforms = pairs[1]["transforms"]?.sequence,
            labels.count == transforms.count
        else { throw .unrecognised("the detector step has no slice selector") }
        // jwst moves the boxes of slices 1...30, the NIRSpec IFU's.
        for (index, label) in labels.enumerated() where (1...30).contains(label) {
            guard let box = transforms[index]["bounding_box"] else { continue }
            let inputs = transforms[index]["inputs"]?.array(of: String.self) ?? []
            transforms[index]["bounding_box"] = boundingBox(box, with: try oversampledIntervals(box, inputs: inputs))
        }
        pairs[1]["transforms"] = .sequence(transforms)
        selector["selector"] = .sequence(pairs)
        steps[1]["transform"] = selector
        return steps
    }

    /// The intervals of a bounding box, in input order, with the oversampled axis's moved to the oversampled grid.
    private func oversampledIntervals(_ box: Node, inputs: [String]) throws(OversampledWCSError) -> [(String, Interval)] {
        guard let intervals = box["intervals"]?.mapping else { throw .unrecognised("a bounding box without intervals") }
        var result: [(index: Int, name: String, range: Interval)] = []
        for (position, entry) in intervals.enumerated() {
            guard let name = entry.key.string, let pair = entry.value.sequence, pair.count == 2,
                let low = Self.real(pair[0]), let high = Self.real(pair[1])
            else {
                throw .unrecognised("a bounding box interval that is not two numbers")
            }
            let index = inputs.firstIndex(of: name) ?? position
            let range = index == axis ? Interval(low: map.oversampled(low), high: map.oversampled(high)) : Interval(low: low, high: high)
            result.append((index, name, range))
        }
        return result.sorted { $0.index < $1.index }.map { ($0.name, $0.range) }
    }

    /// `box` with its intervals replaced, everything else (tag, `ignore`, `order`) kept.
    private func boundingBox(_ box: Node, with intervals: [(String, Interval)]) -> Node {
        var box = box
        guard var mapping = box["intervals"]?.mapping else { return box }
        for (name, range) in intervals {
            mapping[name] = GWCSNodes.interval(range)
        }
        box["intervals"] = .mapping(mapping)
        return box
    }

    private static func real(_ node: Node) -> Double? { node.scalar.flatMap { Double($0.string) } }
}

/// Why an input's gwcs could not be given the oversampled grid.
enum OversampledWCSError: Error, CustomStringConvertible {
    case unrecognised(String)

    var description: String {
        switch self {
        case .unrecognised(let what): "unrecognised gwcs layout: \(what)"
        }
    }
}
