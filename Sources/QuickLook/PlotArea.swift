import Foundation

/// A rectangle of a canvas holding a graph: maps data coordinates into it and draws its axes, ticks and labels.
struct PlotArea {
    var x: Double, y: Double, width: Double, height: Double
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>

    init(x: Double, y: Double, width: Double, height: Double, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>) {
        (self.x, self.y, self.width, self.height) = (x, y, width, height)
        self.xRange = xRange.lowerBound < xRange.upperBound ? xRange : (xRange.lowerBound - 1)...(xRange.lowerBound + 1)
        self.yRange = yRange.lowerBound < yRange.upperBound ? yRange : (yRange.lowerBound - 1)...(yRange.lowerBound + 1)
    }

    func px(_ value: Double) -> Double { x + (value - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * width }
    func py(_ value: Double) -> Double { y + height - (value - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * height }

    /// The curve through (xs, ys); non-finite values break it.
    func points(_ xs: [Double], _ ys: [Double]) -> [(Double, Double)?] {
        zip(xs, ys).map { a, b in a.isFinite && b.isFinite ? (px(a), py(min(max(b, yRange.lowerBound), yRange.upperBound))) : nil }
    }

    func drawAxes(on canvas: Canvas, xLabel: String, yLabel: String, title: String? = nil) {
        canvas.fill(x: x, y: y, width: width, height: height, colour: .white)
        for tick in Self.ticks(xRange) {
            let p = px(tick)
            canvas.line([(p, y + height), (p, y + height + 5)], colour: .black, lineWidth: 1)
            canvas.text(Self.label(tick, range: xRange), x: p, y: y + height + 18, size: 11, alignment: .centre)
        }
        for tick in Self.ticks(yRange) {
            let p = py(tick)
            canvas.line([(x - 5, p), (x, p)], colour: .black, lineWidth: 1)
            canvas.text(Self.label(tick, range: yRange), x: x - 8, y: p + 4, size: 11, alignment: .right)
        }
        canvas.frame(x: x, y: y, width: width, height: height)
        canvas.text(xLabel, x: x + width / 2, y: y + height + 36, size: 12, alignment: .centre)
        canvas.text(yLabel, x: x - 62, y: y + height / 2, size: 12, alignment: .centre, rotated: true)
        if let title { canvas.text(title, x: x, y: y - 8, size: 13, bold: true) }
    }

    /// About five round tick values inside `range`.
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [] }
        let rough = span / 5
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? rough
        var value = ceil(range.lowerBound / step) * step
        var ticks: [Double] = []
        while value <= range.upperBound + step * 1e-9, ticks.count < 12 { ticks.append(value); value += step }
        return ticks
    }

    static func label(_ value: Double, range: ClosedRange<Double>) -> String {
        let span = max(abs(range.upperBound), abs(range.lowerBound))
        if span != 0, span < 1e-3 || span >= 1e5 { return String(format: "%.2g", value) }
        let step = (range.upperBound - range.lowerBound) / 5
        let decimals = max(0, min(6, Int(ceil(-log10(max(step, 1e-12)))) + 1))
        return String(format: "%.\(decimals)f", abs(value) < step * 1e-6 ? 0 : value)
    }

    /// A range covering the finite values, padded by 5 %; robust to a few extreme values when `robust`.
    static func range(of values: [Double], robust: Bool = false) -> ClosedRange<Double> {
        var finite = values.filter(\.isFinite)
        guard !finite.isEmpty else { return 0...1 }
        var (low, high) = (finite.min()!, finite.max()!)
        if robust, finite.count > 50 {
            finite.sort()
            low = finite[finite.count / 200]
            high = finite[finite.count - 1 - finite.count / 200]
        }
        let pad = max((high - low) * 0.05, abs(high) * 1e-6, 1e-30)
        return (low - pad)...(high + pad)
    }
}
