import Testing
@testable import Relief

/// One frontier range for the command line and the API: the same checks, each naming its field.
@Suite("Frontier range")
struct FrontierRangeTests {
    @Test("ranges, order and the budget count are checked once, by field")
    func problems() {
        #expect(FrontierRange().problems(maxBudgets: 100).isEmpty)                       // 5…30 by 1: 26 budgets
        #expect(FrontierRange().budgets.count == 26)
        let backwards = FrontierRange(from: 20, to: 10).problems(maxBudgets: 100)
        #expect(backwards.map(\.field) == ["to"])
        #expect(backwards.first?.message == "to must be at least the smallest budget (20), got 10")
        // 1, 2, …, 101: 101 budgets, one more than 100.
        let many = FrontierRange(from: 1, to: 101, step: 1).problems(maxBudgets: 100)
        #expect(many.map(\.field) == ["step"])
        #expect(FrontierRange(from: 1, to: 100, step: 1).problems(maxBudgets: 100).isEmpty)
        #expect(FrontierRange(from: 0, to: 2_000, step: 0).problems(maxBudgets: 100).map(\.field) == ["from", "to", "step"])
    }

    @Test("read from JSON: a value of the wrong kind, and a problem placed at its value")
    func read() throws {
        let (_, wrong) = FrontierRange.read(try JSONNode.parse(#"{"from": "five", "to": 7}"#), maxBudgets: 100)
        #expect(wrong.map(\.field) == ["from"] && wrong.first?.column == 10)
        let (range, late) = FrontierRange.read(try JSONNode.parse(#"{"from": 20, "to": 10, "minutes": 3}"#), maxBudgets: 100)
        #expect(range == FrontierRange(from: 20, to: 10, step: 1))
        #expect(late.first?.field == "to" && late.first?.line == 1 && late.first?.column == 20)   // {"from": 20, "to": 10: the 10 starts at column 20
    }
}
