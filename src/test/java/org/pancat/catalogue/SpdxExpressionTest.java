package org.pancat.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpdxExpressionTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "MIT|MIT",
        "mit|MIT",
        "GPL-2.0-or-later|GPL-2.0-or-later",
        "MPL-2.0 OR LGPL-3.0-only|MPL-2.0 OR LGPL-3.0-only",
        "Apache-2.0 WITH LLVM-exception|Apache-2.0 WITH LLVM-exception",
        "(MIT OR BSD-3-Clause) AND GPL-2.0-only|(MIT OR BSD-3-Clause) AND GPL-2.0-only",
        "  MIT   AND (BSD-2-Clause OR   Apache-2.0)  |MIT AND (BSD-2-Clause OR Apache-2.0)",
        "GPL-2.0+|GPL-2.0+",
        "LicenseRef-XDS-DECTRIS-Terms|LicenseRef-XDS-DECTRIS-Terms",
        "LicenseRef-MATLAB-Runtime OR LicenseRef-ORCA|LicenseRef-MATLAB-Runtime OR LicenseRef-ORCA",
        "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2|DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
        "NOASSERTION|NOASSERTION",
        "NONE|NONE"
      })
  void validExpressionsNormalise(String expression, String normalised) {
    SpdxExpression.Result result = SpdxExpression.parse(expression);
    assertTrue(result.valid(), () -> expression + ": " + result.error());
    assertEquals(normalised, result.normalised());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "MIT AND",
        "AND MIT",
        "(MIT OR Apache-2.0",
        "MIT OR Apache-2.0)",
        "MIT WITH",
        "MIT WITH MIT",
        "GPL-4.0",
        "MIT and Apache-2.0",
        "LicenseRef-",
        "LicenseRef-bad_underscore",
        "DocumentRef-x",
        "MIT OR NOASSERTION",
        "MIT Apache-2.0",
        "()"
      })
  void invalidExpressionsAreRefusedWithAReason(String expression) {
    SpdxExpression.Result result = SpdxExpression.parse(expression);
    assertFalse(result.valid(), expression);
    assertFalse(result.error().isBlank());
  }

  @Test
  void everyDemoApplicationLicenceParses() throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/applications.csv");
        MappingIterator<Map<String, String>> rows =
            new CsvMapper()
                .readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(in)) {
      int count = 0;
      while (rows.hasNext()) {
        String licence = rows.next().get("licence_spdx");
        assertTrue(SpdxExpression.parse(licence).valid(), licence);
        count++;
      }
      assertEquals(48, count);
    }
  }

  @Test
  void overlongExpressionIsRefused() {
    assertFalse(SpdxExpression.parse("MIT OR ".repeat(100) + "MIT").valid());
  }
}
