"""Config fields known to say nothing about serving cost, so never reported as unmapped.

Token ids, training-only settings (dropout, auxiliary losses, initialisation), rope and
router details, code pointers, and the generation defaults that transformers serialises
into every config. Anything else a config states that the normaliser does not read is
reported as an unmapped field: a new architecture knob worth a look.
"""

from __future__ import annotations

IGNORED_FIELDS = frozenset(
    {
        # identity and code
        "architectures",
        "auto_map",
        "transformers_version",
        "_name_or_path",
        "_attn_implementation",
        "_attn_implementation_autoset",
        "for_llm_compressor",
        "tokenizer_class",
        "task_specific_params",
        "id2label",
        "label2id",
        "problem_type",
        "finetuning_task",
        "prefix",
        "return_dict",
        "torchscript",
        "use_bfloat16",
        "use_cache",
        "pretraining_tp",
        "pruned_heads",
        "chunk_size_feed_forward",
        # token ids
        "bos_token_id",
        "eos_token_id",
        "pad_token_id",
        "sep_token_id",
        "decoder_start_token_id",
        "forced_bos_token_id",
        "forced_eos_token_id",
        "begin_suppress_tokens",
        "suppress_tokens",
        "bad_words_ids",
        "ignore_index",
        # training only
        "attention_dropout",
        "initializer_range",
        "aux_loss_alpha",
        "seq_aux",
        "router_aux_loss_coef",
        "router_jitter_noise",
        "output_router_logits",
        "output_attentions",
        "output_hidden_states",
        "output_scores",
        "tf_legacy_loss",
        # numerics that change no byte or FLOP count
        "rms_norm_eps",
        "hidden_act",
        "attention_bias",
        "mlp_bias",
        "rope_theta",
        "rope_scaling",
        "initial_context_length",
        "routed_scaling_factor",
        "route_scale",
        "scoring_func",
        "score_func",
        "topk_method",
        "norm_topk_prob",
        "n_group",
        "topk_group",
        "n_expert_groups",
        "n_limited_groups",
        "ep_size",
        "num_nextn_predict_layers",
        "max_window_layers",
        "mlp_only_layers",
        "scale_fmt",
        "use_qk_norm",
        "no_rope_layers",
        # generation defaults transformers writes into every config
        "add_cross_attention",
        "cross_attention_hidden_size",
        "diversity_penalty",
        "do_sample",
        "early_stopping",
        "encoder_no_repeat_ngram_size",
        "exponential_decay_length_penalty",
        "is_decoder",
        "is_encoder_decoder",
        "length_penalty",
        "max_length",
        "min_length",
        "no_repeat_ngram_size",
        "num_beam_groups",
        "num_beams",
        "num_return_sequences",
        "remove_invalid_values",
        "repetition_penalty",
        "return_dict_in_generate",
        "temperature",
        "tie_encoder_decoder",
        "top_k",
        "top_p",
        "typical_p",
    }
)

# Top-level fields of a multimodal wrapper whose language model is in text_config.
WRAPPER_FIELDS = frozenset(
    {
        "text_config",
        "vision_config",
        "model_type",
        "torch_dtype",
        "dtype",
        "quantization_config",
        "tie_word_embeddings",
        "boi_token_index",
        "eoi_token_index",
        "image_token_index",
        "media_placeholder_token_id",
        "video_placeholder",
        "use_unified_vision_chunk",
    }
)
