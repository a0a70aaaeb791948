#pragma once

namespace gan {

/// The web export's index.html (resources/web/index.html, built into the program): a page that
/// reads generator.json and draws with generator.onnx through onnxruntime-web.
const char* web_page_html();

}  // namespace gan
