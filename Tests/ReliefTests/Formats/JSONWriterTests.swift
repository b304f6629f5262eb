import Testing
@testable import ReliefFormats

/// The one JSON writer, byte for byte, on small values written out by hand.
@Suite("JSON writer")
struct JSONWriterTests {
    struct Inner: Encodable { let zeta = 1, secondsPerPoint = 1.5, followUpOf: String? = nil, ids = ["b": 1, "aB": 2] }
    struct Ordered: JSONKeysInOrder { let zeta = 1, alpha = true, inner = Inner(), none = Nullable<Int>(nil), some = Nullable(2) }
    struct Nest: JSONKeysInOrder { let a: [[Int]] = [[1, 2], []], b = [String: Int](), c = Inner() }

    @Test("strings escape quotes, backslashes and control characters, nothing else")
    func escaping() throws {
        let text = "q\"b\\s/\u{08}\u{0C}\n\r\t\u{01}\u{1F}\u{7F}é😀"
        #expect(try JSONWriter.compact.text(text) == #""q\"b\\s/\b\f\n\r\t\u0001\u001f"# + "\u{7F}é😀\"")
        #expect(try JSONWriter.compact.text(["a/b": "c/d"]) == #"{"a/b":"c/d"}"#)
    }

    @Test("numbers: shortest round trip, integers without .0, no -0")
    func numbers() throws {
        let values: [Double] = [0, -0.0, 1, -2.5, 0.1 + 0.2, 1e15, 1e16, 1e-7, 123456.789, -1e300]
        #expect(try JSONWriter.compact.text(values) == "[0,0,1,-2.5,0.30000000000000004,1000000000000000,1e+16,1e-07,123456.789,-1e+300]")
        #expect(try JSONWriter.compact.text([3, -4, Int.max]) == "[3,-4,9223372036854775807]")
        #expect(try JSONWriter.compact.text([Float(0.1)]) == "[0.1]")
    }

    @Test("a number that is not finite is an encoding failure, never text")
    func notFinite() {
        for x in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingFailure.self) { try JSONWriter.compact.text(["seconds": x]) }
        }
    }

    @Test("keys snake_case and sorted; a dictionary's keys as they are; in order for JSONKeysInOrder; null only from Nullable")
    func keys() throws {
        #expect(try JSONWriter.compact.text(Ordered())
            == #"{"zeta":1,"alpha":true,"inner":{"ids":{"aB":2,"b":1},"seconds_per_point":1.5,"zeta":1},"none":null,"some":2}"#)
    }

    @Test("the three layouts, nested")
    func layouts() throws {
        #expect(try JSONWriter.compact.text(Nest()) == #"{"a":[[1,2],[]],"b":{},"c":{"ids":{"aB":2,"b":1},"seconds_per_point":1.5,"zeta":1}}"#)
        #expect(try JSONWriter.indented.text(Nest()) == """
            {
              "a": [
                [
                  1,
                  2
                ],
                []
              ],
              "b": {},
              "c": {
                "ids": {
                  "aB": 2,
                  "b": 1
                },
                "seconds_per_point": 1.5,
                "zeta": 1
              }
            }
            """)
        #expect(try JSONWriter.spaced.text(Nest()) == """
            {
              "a" : [
                [
                  1,
                  2
                ],
                [

                ]
              ],
              "b" : {

              },
              "c" : {
                "ids" : {
                  "aB" : 2,
                  "b" : 1
                },
                "seconds_per_point" : 1.5,
                "zeta" : 1
              }
            }
            """)
    }
}
