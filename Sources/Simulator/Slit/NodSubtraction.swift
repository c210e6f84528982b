/// What MAST ships for nodded slit observations: jwst's Level-2 association makes the other nods each nod's
/// background, and the background step subtracts their mean. Each image then holds its own trace and, at the
/// other nods' positions, negative traces of 1/(N−1) of the flux; the fixed background cancels. Variances add
/// (each background nod enters with weight 1/(N−1)²) and the DQ flags of all nods are combined, as jwst's image
/// subtraction does.
enum NodSubtraction {
    static func subtract(_ nods: [SlitObservation.Frame]) -> [SlitObservation.Frame] {
        guard nods.count > 1 else { return nods }
        let others = Float(nods.count - 1)
        return nods.indices.map { f in
            var out = nods[f]
            for g in nods.indices where g != f {
                let b = nods[g]
                for i in out.science.indices {
                    out.science[i] -= b.science[i] / others
                    out.noiseless[i] -= b.noiseless[i] / others
                    out.varPoisson[i] += b.varPoisson[i] / (others * others)
                    out.varReadNoise[i] += b.varReadNoise[i] / (others * others)
                    out.varFlat[i] += b.varFlat[i] / (others * others)
                    out.dq[i] |= b.dq[i]
                    out.defects[i] |= b.defects[i]
                }
            }
            return out
        }
    }
}
