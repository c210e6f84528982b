import Foundation

/// A NIRCam filter's system throughput as the simulator observes with it (detector NRCB1).
struct NIRCamBandpass: Sendable {
    let filter: String
    let start: Double
    let step: Double
    let values: [Double]

    init?(filter: String) {
        guard let table = NRCB1Throughputs.tables[filter.uppercased()] else { return nil }
        self.filter = filter.uppercased()
        (start, step, values) = table
    }

    static var available: [String] { NRCB1Throughputs.tables.keys.sorted() }

    var range: ClosedRange<Double> { start...(start + step * Double(values.count - 1)) }

    /// Integration grid for a photon-counting detector measuring surface brightness per unit frequency:
    /// weights T(λ)/λ on a grid `subdivision` times finer than the table, normalised to sum 1, so that the
    /// simulated image is the photon-weighted mean of the scene over the band.
    func photonWeights(subdivision: Int = 8) -> [(wavelength: Double, weight: Double)] {
        var result: [(wavelength: Double, weight: Double)] = []
        let fine = step / Double(subdivision)
        for i in 0..<((values.count - 1) * subdivision) {
            let t = Double(i % subdivision) / Double(subdivision)
            let k = i / subdivision
            let throughput = values[k] * (1 - t) + values[k + 1] * t
            let wavelength = start + fine * Double(i)
            if throughput > 0 { result.append((wavelength, throughput / wavelength)) }
        }
        let total = result.reduce(0) { $0 + $1.weight }
        return result.map { ($0.wavelength, $0.weight / total) }
    }
}
