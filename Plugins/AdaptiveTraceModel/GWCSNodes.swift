import FITS
import Yams

/// One axis of a bounding box, `[low, high]` in pixels.
struct Interval: Equatable {
    var low: Double
    var high: Double
}

/// The ASDF nodes of the gwcs pieces the oversampled WCS adds, tagged and laid out as jwst 3.0's software writes
/// them (gwcs 1.0 schemas, asdf-astropy 0.11 transform schemas), keys in the order asdf sorts them.
enum GWCSNodes {
    static func gwcsTag(_ name: String) -> Tag { Tag(Tag.Name(rawValue: "tag:stsci.edu:gwcs/\(name)")) }
    static func transformTag(_ name: String) -> Tag { ASDFTree.tag("transform/\(name)") }

    /// A plain scalar: a name or an integer.
    static func plain(_ text: String) -> Node { .scalar(Node.Scalar(text, Tag(.implicit), .plain)) }
    static func flow(_ items: [Node]) -> Node { .sequence(Node.Sequence(items, Tag(.implicit), .flow)) }
    static func names(_ names: [String]) -> Node { flow(names.map(plain)) }

    /// A transform mapping with its `inputs` and `outputs` and, when given, a `name`.
    static func transform(
        _ kind: String, _ entries: [(String, Node)], inputs: [String], outputs: [String],
        name: String? = nil
    ) -> Node {
        var all = entries + [("inputs", names(inputs)), ("outputs", names(outputs))]
        if let name { all.append(("name", plain(name))) }
        return ASDFTree.mapping(all.sorted { $0.0 < $1.0 }, tag: transformTag(kind))
    }

    static func scale(_ factor: Double) -> Node {
        transform("scale-1.4.0", [("factor", ASDFTree.real(factor))], inputs: ["x"], outputs: ["y"])
    }

    static func shift(_ offset: Double) -> Node {
        transform("shift-1.4.0", [("offset", ASDFTree.real(offset))], inputs: ["x"], outputs: ["y"])
    }

    static var identity: Node { transform("identity-1.4.0", [], inputs: ["x0"], outputs: ["x0"]) }

    /// `Scale(1/N) | Shift(offset)`: oversampled to native along the slice.
    static func sliceMap(_ map: SlicePixelMap) -> Node {
        transform(
            "compose-1.4.0", [("forward", .sequence(Node.Sequence([scale(map.scale), shift(map.offset)])))],
            inputs: ["x"], outputs: ["y"])
    }

    /// A compound transform (`compose` or `concatenate`) of `forward`.
    static func compound(
        _ kind: String, _ forward: [Node], inputs: [String], outputs: [String], name: String? = nil,
        extra: [(String, Node)] = []
    ) -> Node {
        transform(kind, extra + [("forward", .sequence(Node.Sequence(forward)))], inputs: inputs, outputs: outputs, name: name)
    }

    /// A bounding box: one `[low, high]` interval per named input, Fortran order as astropy writes it.
    static func boundingBox(_ intervals: [(String, Interval)]) -> Node {
        ASDFTree.mapping(
            [
                ("ignore", flow([])),
                ("intervals", ASDFTree.mapping(intervals.map { ($0.0, interval($0.1)) })),
                ("order", plain("F")),
            ], tag: transformTag("property/bounding_box-1.2.0"))
    }

    static func interval(_ interval: Interval) -> Node { flow([ASDFTree.real(interval.low), ASDFTree.real(interval.high)]) }

    /// A two-axis pixel frame, as gwcs writes `Frame2D(name=…, axes_order=(0, 1))`.
    static func pixelFrame(_ name: String) -> Node {
        let pixel = Node.scalar(Node.Scalar("pixel", ASDFTree.tag("unit/unit-1.0.0"), .plain))
        return ASDFTree.mapping(
            [
                ("axes_names", names(["x", "y"])),
                ("axes_order", flow([plain("0"), plain("1")])),
                ("axis_physical_types", flow([plain("custom:x"), plain("custom:y")])),
                ("name", plain(name)),
                ("unit", flow([pixel, pixel])),
            ], tag: gwcsTag("frame2d-1.2.0"))
    }

    /// One step of a gwcs pipeline: a frame and the transform from it to the next frame.
    static func step(frame: Node, transform: Node) -> Node {
        ASDFTree.mapping([("frame", frame), ("transform", transform)], tag: gwcsTag("step-1.3.0"))
    }
}
