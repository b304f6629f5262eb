/// One FHIR JSON value. FHIR's JSON names are camelCase (`resourceType`, `effectiveDateTime`),
/// which ``JSONWriter`` would turn into snake_case if they were a struct's coding keys, so an
/// object is a dictionary (its keys written as they are, sorted by ``JSONWriter``): the same
/// export is the same bytes.
enum FHIRElement: Encodable, Sendable, Hashable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case array([FHIRElement])
    case object([String: FHIRElement])

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let x): try c.encode(x)
        case .integer(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .array(let items): try c.encode(items)
        case .object(let members): try c.encode(members)
        }
    }
}

extension FHIRElement: ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral
{
    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: FHIRElement...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, FHIRElement)...) {
        var members: [String: FHIRElement] = [:]
        for (k, v) in elements { members[k] = v }
        self = .object(members)
    }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension Dictionary where Key == String, Value == FHIRElement {
    /// Sets `key` only when there is a value: FHIR has no nulls and no empty arrays or strings.
    mutating func set(_ key: String, _ value: FHIRElement?) {
        guard let value else { return }
        switch value {
        case .array(let a) where a.isEmpty: return
        case .string(let s) where s.isEmpty: return
        case .object(let o) where o.isEmpty: return
        default: self[key] = value
        }
    }
}

/// The FHIR datatypes the export writes, as elements.
enum FHIR {
    static func coding(_ c: FHIRCoding) -> FHIRElement {
        var o: [String: FHIRElement] = ["system": .string(c.system), "code": .string(c.code)]
        o.set("display", c.display.map(FHIRElement.string))
        return .object(o)
    }

    static func concept(_ codings: [FHIRCoding], text: String?) -> FHIRElement {
        var o: [String: FHIRElement] = [:]
        o.set("coding", .array(codings.map(coding)))
        o.set("text", text.map(FHIRElement.string))
        return .object(o)
    }

    static func reference(_ fullUrl: String, display: String? = nil) -> FHIRElement {
        var o: [String: FHIRElement] = ["reference": .string(fullUrl)]
        o.set("display", display.map(FHIRElement.string))
        return .object(o)
    }

    static func period(_ start: String, _ end: String) -> FHIRElement { ["start": .string(start), "end": .string(end)] }

    /// A score with UCUM's annotation unit `{score}` (a dimensionless count, UCUM §6.4).
    static func score(_ value: Double, unit: String = "{score}") -> FHIRElement {
        ["value": .number(value), "unit": .string(unit), "system": .string(FHIRSystems.ucum), "code": .string(unit)]
    }
}
