/// The geometry the trace model needs, as images in the input's detector layout (`layout` maps the working frame:
/// dispersion along x, the slice along y): each pixel's region (slice) and along-slice coordinate alpha (native
/// pixels, signed distance from the slice's centre line; NaN outside regions).
public struct TraceGeometry: Sendable {
    public var layout: FrameLayout
    public var regions: [Int32]
    public var alpha: [Float]

    public init(layout: FrameLayout, regions: [Int32], alpha: [Float]) {
        self.layout = layout
        self.regions = regions
        self.alpha = alpha
    }

    /// Geometry from a region map alone: each region's centre line is fitted smoothly across columns (a cubic in
    /// x through the mid-points of the region's rows in every column), so the sub-pixel tilt and curvature are
    /// recovered; alpha = row − centre line.
    public init(layout: FrameLayout, regions: [Int32]) {
        var alpha = [Float](repeating: .nan, count: layout.count)
        for span in RegionSpan.all(regions: regions, layout: layout) {
            let centre = span.fittedCentreLine()
            for x in span.columns where span.rowMin[x - span.columns.lowerBound] >= 0 {
                let c = centre(Double(x))
                let k = x - span.columns.lowerBound
                for y in Int(span.rowMin[k])...Int(span.rowMax[k]) where regions[layout.index(x, y)] == span.id {
                    alpha[layout.index(x, y)] = Float(Double(y) - c)
                }
            }
        }
        self.init(layout: layout, regions: regions, alpha: alpha)
    }

    /// Regions from the NaN footprint when a file has no REGIONS: connected groups of finite pixels (4-neighbour)
    /// of an image in `layout`, numbered 1… along the slice axis. Returns nil when the image has no footprint (no
    /// NaN background separating slices).
    public static func footprintRegions(finite: [Bool], layout: FrameLayout, minimumPixels: Int = 200) -> [Int32]? {
        // Connectivity works on the stored image (fast axis of length `width`); the order is along the slice axis.
        let width = layout.sliceAxisIsFast ? layout.height : layout.width
        let height = layout.count / max(1, width)
        var labels = [Int32](repeating: 0, count: width * height)
        var components: [(label: Int32, size: Int, meanSlicePosition: Double)] = []
        var stack: [Int] = []
        var next: Int32 = 1
        for start in 0..<(width * height) where finite[start] && labels[start] == 0 {
            var size = 0, sumPosition = 0.0
            labels[start] = next
            stack.append(start)
            while let i = stack.popLast() {
                size += 1
                let x = i % width
                sumPosition += Double(layout.sliceAxisIsFast ? x : i / width)
                for j in [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, i - width, i + width]
                where j >= 0 && j < width * height && finite[j] && labels[j] == 0 {
                    labels[j] = next
                    stack.append(j)
                }
            }
            components.append((next, size, sumPosition / Double(size)))
            next += 1
        }
        let kept = components.filter { $0.size >= minimumPixels }.sorted { $0.meanSlicePosition < $1.meanSlicePosition }
        // One component over most of the image means there is no slice footprint to speak of.
        guard !kept.isEmpty, kept.count > 1 || Double(kept[0].size) < 0.9 * Double(width * height) else { return nil }
        var renumber = [Int32](repeating: 0, count: Int(next))
        for (k, c) in kept.enumerated() { renumber[Int(c.label)] = Int32(k + 1) }
        return labels.map { renumber[Int($0)] }
    }
}

/// Where one region lies: its id, the columns it covers, and its first and last row in each (−1: none).
struct RegionSpan: Sendable {
    var id: Int32
    var columns: Range<Int>
    var rowMin: [Int32]
    var rowMax: [Int32]

    static func all(regions: [Int32], layout: FrameLayout) -> [RegionSpan] {
        // Region ids are small (≤ 30 for NIRSpec, ≤ ~420 for MIRI): index arrays by id instead of hashing. The
        // passes write through buffer pointers: a captured array would be checked for uniqueness at every pixel.
        let largest = Int(regions.max() ?? 0)
        guard largest > 0 else { return [] }
        var lo = [Int](repeating: Int.max, count: largest + 1), hi = [Int](repeating: -1, count: largest + 1)
        regions.withUnsafeBufferPointer { r in
            lo.withUnsafeMutableBufferPointer { lo in
                hi.withUnsafeMutableBufferPointer { hi in
                    layout.forEachPixel { x, _, i in
                        let id = Int(r[i])
                        guard id > 0 else { return }
                        if x < lo[id] { lo[id] = x }
                        if x > hi[id] { hi[id] = x }
                    }
                }
            }
        }
        // Each region's first and last row per column, in one array: region r's column x at start[r] + x − lo[r].
        var start = [Int](repeating: -1, count: largest + 1)
        var columns = 0
        for r in 1...largest where hi[r] >= 0 {
            start[r] = columns
            columns += hi[r] - lo[r] + 1
        }
        var rowMin = [Int32](repeating: -1, count: columns), rowMax = [Int32](repeating: -1, count: columns)
        regions.withUnsafeBufferPointer { r in
            rowMin.withUnsafeMutableBufferPointer { rowMin in
                rowMax.withUnsafeMutableBufferPointer { rowMax in
                    layout.forEachPixel { x, y, i in
                        let id = Int(r[i])
                        guard id > 0 else { return }
                        let c = start[id] + x - lo[id]
                        if rowMin[c] < 0 || Int32(y) < rowMin[c] { rowMin[c] = Int32(y) }
                        if Int32(y) > rowMax[c] { rowMax[c] = Int32(y) }
                    }
                }
            }
        }
        return (1...largest).filter { hi[$0] >= 0 }.map { r in
            let cells = start[r]..<(start[r] + hi[r] - lo[r] + 1)
            return RegionSpan(id: Int32(r), columns: lo[r]..<(hi[r] + 1), rowMin: Array(rowMin[cells]), rowMax: Array(rowMax[cells]))
        }
    }

    /// The slice's centre line, a cubic in x (scaled to [−1, 1] for conditioning). Sub-pixel information comes from
    /// the columns where the slice's first (last) row changes: there its lower (upper) edge crosses a pixel
    /// boundary, so centre − L (centre + L) equals that boundary half a column further on, L being the half-length
    /// (fitted too). The mid-rows of the columns, each off by up to half a pixel, are used only when a slice has too
    /// few such steps (a nearly untilted slice), or the step fit fails.
    func fittedCentreLine() -> (Double) -> Double {
        let mid = Double(columns.lowerBound + columns.upperBound - 1) / 2
        let half = max(1, Double(columns.count) / 2)
        func powers(_ x: Double) -> [Double] {
            let u = (x - mid) / half
            return [1, u, u * u, u * u * u]
        }
        var steps = LeastSquaresSums(unknowns: 5)
        var lowerSteps = 0, upperSteps = 0
        for k in 0..<max(0, columns.count - 1) where rowMin[k] >= 0 && rowMin[k + 1] >= 0 {
            let p = powers(Double(columns.lowerBound + k) + 0.5)
            if rowMin[k] != rowMin[k + 1] {
                steps.add(p + [-1], Double(rowMin[k] + rowMin[k + 1]) / 2 - 0.5)
                lowerSteps += 1
            }
            if rowMax[k] != rowMax[k + 1] {
                steps.add(p + [1], Double(rowMax[k] + rowMax[k + 1]) / 2 + 0.5)
                upperSteps += 1
            }
        }
        if lowerSteps >= 4, upperSteps >= 4, let c = steps.solve(), c[4] > 0 {
            return { x in zip(c, powers(x)).reduce(0) { $0 + $1.0 * $1.1 } }
        }
        var midRows = LeastSquaresSums(unknowns: min(4, rowMin.filter { $0 >= 0 }.count))
        for (k, x) in columns.enumerated() where rowMin[k] >= 0 {
            midRows.add(Array(powers(Double(x)).prefix(midRows.unknowns)), Double(rowMin[k] + rowMax[k]) / 2)
        }
        let c = midRows.solve() ?? []
        return { x in zip(c, powers(x)).reduce(0) { $0 + $1.0 * $1.1 } }
    }
}

/// Normal equations of a small least-squares problem, solved by Gaussian elimination with partial pivoting
/// (a handful of unknowns, well conditioned after scaling).
struct LeastSquaresSums {
    let unknowns: Int
    private var ata: [Double]
    private var atb: [Double]

    init(unknowns: Int) {
        self.unknowns = unknowns
        ata = [Double](repeating: 0, count: unknowns * unknowns)
        atb = [Double](repeating: 0, count: unknowns)
    }

    mutating func add(_ row: [Double], _ value: Double) {
        for i in 0..<unknowns {
            atb[i] += row[i] * value
            for j in 0..<unknowns { ata[i * unknowns + j] += row[i] * row[j] }
        }
    }

    /// The solution, or nil when the system is singular (or has no unknowns).
    func solve() -> [Double]? {
        let m = unknowns
        guard m > 0 else { return nil }
        var a = [Double](repeating: 0, count: m * (m + 1))
        for i in 0..<m {
            for j in 0..<m { a[i * (m + 1) + j] = ata[i * m + j] }
            a[i * (m + 1) + m] = atb[i]
        }
        let scale = (0..<m).map { abs(ata[$0 * m + $0]) }.max() ?? 0
        for col in 0..<m {
            let pivotRow = (col..<m).max { abs(a[$0 * (m + 1) + col]) < abs(a[$1 * (m + 1) + col]) }!
            if abs(a[pivotRow * (m + 1) + col]) <= 1e-12 * scale { return nil }
            for j in 0...m { a.swapAt(col * (m + 1) + j, pivotRow * (m + 1) + j) }
            for row in 0..<m where row != col {
                let f = a[row * (m + 1) + col] / a[col * (m + 1) + col]
                for j in col...m { a[row * (m + 1) + j] -= f * a[col * (m + 1) + j] }
            }
        }
        return (0..<m).map { a[$0 * (m + 1) + m] / a[$0 * (m + 1) + $0] }
    }
}
