#include "core/export/onnx_export.h"

#ifdef GAN_HAVE_ONNX
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>
#endif

namespace gan {

#ifndef GAN_HAVE_ONNX

bool onnx_export_available() { return false; }

std::string onnx_model(const GeneratorGraph&, const std::string&) {
  throw ExportError(kNoOnnx);
}

#else

bool onnx_export_available() { return true; }

namespace {

// Builds the graph: each layer's node reads the previous node's output.
class OnnxGraph {
 public:
  explicit OnnxGraph(onnx::GraphProto* graph) : graph_(graph) {}

  // A float tensor as an initializer (raw little-endian bytes, as ONNX stores them).
  std::string constant(const std::string& name, const torch::Tensor& tensor) {
    onnx::TensorProto* proto = graph_->add_initializer();
    proto->set_name(name);
    proto->set_data_type(onnx::TensorProto_DataType_FLOAT);
    for (const auto size : tensor.sizes()) proto->add_dims(size);
    const torch::Tensor values = tensor.to(torch::kFloat32).contiguous();
    proto->set_raw_data(values.data_ptr(), static_cast<std::size_t>(values.nbytes()));
    return name;
  }

  std::string shape(const std::string& name, const std::vector<std::int64_t>& values) {
    onnx::TensorProto* proto = graph_->add_initializer();
    proto->set_name(name);
    proto->set_data_type(onnx::TensorProto_DataType_INT64);
    proto->add_dims(static_cast<std::int64_t>(values.size()));
    for (const auto value : values) proto->add_int64_data(value);
    return name;
  }

  onnx::NodeProto* node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
                        const std::string& output) {
    onnx::NodeProto* node = graph_->add_node();
    node->set_op_type(op);
    node->set_name(name);
    for (const auto& input : inputs) node->add_input(input);
    node->add_output(output);
    return node;
  }

  static void attribute(onnx::NodeProto* node, const std::string& name, float value) {
    onnx::AttributeProto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_FLOAT);
    a->set_f(value);
  }
  static void attribute(onnx::NodeProto* node, const std::string& name, std::int64_t value) {
    onnx::AttributeProto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INT);
    a->set_i(value);
  }
  static void attribute(onnx::NodeProto* node, const std::string& name, const std::vector<std::int64_t>& values) {
    onnx::AttributeProto* a = node->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INTS);
    for (const auto value : values) a->add_ints(value);
  }

 private:
  onnx::GraphProto* graph_;
};

// A graph input or output: its element type and shape, "batch" standing for the first dimension.
void describe_value(onnx::ValueInfoProto* value, const std::string& name, int type, const std::vector<std::int64_t>& rest,
                    const std::string& doc) {
  value->set_name(name);
  value->set_doc_string(doc);
  onnx::TypeProto_Tensor* tensor = value->mutable_type()->mutable_tensor_type();
  tensor->set_elem_type(type);
  onnx::TensorShapeProto* shape = tensor->mutable_shape();
  shape->add_dim()->set_dim_param("batch");
  for (const auto size : rest) shape->add_dim()->set_dim_value(size);
}

}  // namespace

std::string onnx_model(const GeneratorGraph& graph, const std::string& about) {
  onnx::ModelProto model;
  // IR version 7 is the one operator set 13 came with: the oldest that can hold this model.
  model.set_ir_version(7);
  model.set_producer_name("GAN Studio");
  model.set_doc_string(about);
  onnx::OperatorSetIdProto* opset = model.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOnnxOpset);
  onnx::GraphProto* proto = model.mutable_graph();
  proto->set_name("generator");
  OnnxGraph onnx_graph(proto);

  describe_value(proto->add_input(), "z", onnx::TensorProto_DataType_FLOAT, {graph.latent_dim}, "noise from N(0, 1)");
  std::string x = "z";
  if (graph.conditional()) {
    describe_value(proto->add_input(), "label", onnx::TensorProto_DataType_INT64, {},
                   "the class each image is asked to be, 0 .. " + std::to_string(graph.classes - 1));
    const std::string table = onnx_graph.constant("label_embedding.weight", graph.label_embedding);
    onnx_graph.attribute(onnx_graph.node("Gather", "label_embedding", {table, "label"}, "label_embedding.out"), "axis",
                         std::int64_t{0});
    // The embedding goes in front of z, as GeneratorImpl::input joins them.
    onnx_graph.attribute(onnx_graph.node("Concat", "input", {"label_embedding.out", "z"}, "input.out"), "axis",
                         std::int64_t{1});
    x = "input.out";
  }
  for (std::size_t i = 0; i < graph.layers.size(); ++i) {
    const GraphLayer& layer = graph.layers[i];
    const std::string& name = layer.name;
    const std::string out = name + ".out";
    switch (layer.kind) {
      case GraphLayer::Kind::kLinear: {
        // y = x W^T + b
        auto* node = onnx_graph.node("Gemm", name,
                                     {x, onnx_graph.constant(name + ".weight", layer.weight),
                                      onnx_graph.constant(name + ".bias", layer.bias)},
                                     out);
        onnx_graph.attribute(node, "transB", std::int64_t{1});
        break;
      }
      case GraphLayer::Kind::kBatchNorm1d:
      case GraphLayer::Kind::kBatchNorm2d: {
        auto* node = onnx_graph.node("BatchNormalization", name,
                                     {x, onnx_graph.constant(name + ".weight", layer.weight),
                                      onnx_graph.constant(name + ".bias", layer.bias),
                                      onnx_graph.constant(name + ".running_mean", layer.running_mean),
                                      onnx_graph.constant(name + ".running_var", layer.running_var)},
                                     out);
        onnx_graph.attribute(node, "epsilon", static_cast<float>(layer.eps));
        break;
      }
      case GraphLayer::Kind::kRelu: onnx_graph.node("Relu", name, {x}, out); break;
      case GraphLayer::Kind::kLeakyRelu:
        onnx_graph.attribute(onnx_graph.node("LeakyRelu", name, {x}, out), "alpha", static_cast<float>(layer.slope));
        break;
      case GraphLayer::Kind::kTanh: onnx_graph.node("Tanh", name, {x}, out); break;
      case GraphLayer::Kind::kUnflatten: {
        std::vector<std::int64_t> sizes{0};  // 0: the batch, copied from the input
        sizes.insert(sizes.end(), layer.unflatten.begin(), layer.unflatten.end());
        onnx_graph.node("Reshape", name, {x, onnx_graph.shape(name + ".shape", sizes)}, out);
        break;
      }
      case GraphLayer::Kind::kConvTranspose2d: {
        auto* node = onnx_graph.node("ConvTranspose", name,
                                     {x, onnx_graph.constant(name + ".weight", layer.weight),
                                      onnx_graph.constant(name + ".bias", layer.bias)},
                                     out);
        onnx_graph.attribute(node, "kernel_shape", std::vector<std::int64_t>{layer.kernel, layer.kernel});
        onnx_graph.attribute(node, "strides", std::vector<std::int64_t>{layer.stride, layer.stride});
        onnx_graph.attribute(node, "pads", std::vector<std::int64_t>(4, layer.padding));
        break;
      }
      case GraphLayer::Kind::kFlatten:
        // G's last layer flattens the images for the studio's flat batches; the export keeps them
        // as images.
        if (i + 1 == graph.layers.size()) continue;
        onnx_graph.attribute(onnx_graph.node("Flatten", name, {x}, out), "axis", std::int64_t{1});
        break;
    }
    x = out;
  }
  onnx_graph.node("Reshape", "images", {x, onnx_graph.shape("images.shape", {0, graph.channels, graph.rows, graph.cols})},
                  "images");
  describe_value(proto->add_output(), "images", onnx::TensorProto_DataType_FLOAT, {graph.channels, graph.rows, graph.cols},
                 "images in [-1, 1] (channels, rows, columns)");

  try {
    onnx::checker::check_model(model);
    onnx::ModelProto inferred = model;
    onnx::shape_inference::InferShapes(inferred, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(/*check_type_val=*/true, /*strict_mode_val=*/1));
  } catch (const std::exception& e) {
    throw ExportError(std::string("ONNX's checker refused the model written from this generator: ") + e.what());
  }
  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw ExportError("the ONNX model could not be serialized");
  return bytes;
}

#endif  // GAN_HAVE_ONNX

}  // namespace gan
